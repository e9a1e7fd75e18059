package io.nbd4j.filters.limit;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --filter=limit}: refuses clients beyond {@code limit} open at once (see the package
 * documentation).
 *
 * <p><b>Threads.</b> The count of open handles is one atomic integer; a handle is counted only if it
 * took a place below the limit in one compare-and-set, so two clients racing for the last place
 * cannot both win.
 */
public final class LimitFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(LimitFilter.class);

    private long limit = 1;
    private final AtomicInteger connected = new AtomicInteger();

    @Override
    public String name() {
        return "limit";
    }

    @Override
    public String description() {
        return "refuse clients beyond a number connected at once";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("limit", "N", "most clients connected at once (default 1; 0 for no limit)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!key.equals("limit")) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        limit = Values.parseInteger(key, value, 0, Integer.MAX_VALUE);
    }

    /** Turns a client away before any negotiation when the limit is reached already. */
    @Override
    public void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        if (limit > 0 && connected.get() >= limit) {
            throw tooMany();
        }
    }

    /** Checks again: a client may have negotiated slowly on purpose to slip past the first check. */
    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        if (limit > 0 && !takePlace()) {
            throw tooMany();
        }
        Next next;
        try {
            next = below.open(request);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        return new FilterHandle(next) {
            @Override
            public void close() {
                release();
            }
        };
    }

    private boolean takePlace() {
        int n;
        do {
            n = connected.get();
            if (n >= limit) {
                return false;
            }
        } while (!connected.compareAndSet(n, n + 1));
        return true;
    }

    private void release() {
        if (limit > 0) {
            connected.decrementAndGet();
        }
    }

    private static NbdException tooMany() {
        LOG.warn("limit: too many clients connected, connection rejected");
        return new NbdException(NbdError.EPERM, "limit: too many clients connected, connection rejected");
    }
}
