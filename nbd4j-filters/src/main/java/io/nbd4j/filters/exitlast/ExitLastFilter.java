package io.nbd4j.filters.exitlast;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ServerControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --filter=exitlast}: stops the server when the last client disconnects, never before the first
 * (see the package documentation).
 *
 * <p><b>Threads.</b> The count of connections is one atomic integer; whichever connection takes it
 * to zero asks for the shutdown, which returns at once.
 */
public final class ExitLastFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ExitLastFilter.class);

    private final AtomicInteger connections = new AtomicInteger();

    @Override
    public String name() {
        return "exitlast";
    }

    @Override
    public String description() {
        return "stop the server when the last client disconnects";
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Next next = below.open(request);
        if (request.probe()) {
            return new FilterHandle(next);
        }
        connections.incrementAndGet();
        ServerControl server = request.connection().server();
        return new FilterHandle(next) {
            @Override
            public void close() {
                if (connections.decrementAndGet() == 0) {
                    LOG.info("exitlast: the last client disconnected: stopping the server");
                    server.shutdown();
                }
            }
        };
    }
}
