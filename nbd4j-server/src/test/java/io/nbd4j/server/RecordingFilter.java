package io.nbd4j.server;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ServerControl;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A pass-through filter that records what the server tells layers about the server and its clients
 * ({@code afterStart}, {@code preconnect}, {@code open}) into a log shared with other layers, and runs
 * a chosen action with the client connection whenever a flush passes through it.
 *
 * <p>Threads: the records are thread-safe lists; set the fields before clients connect.
 */
final class RecordingFilter implements Filter {
    final String name;
    final List<String> log;
    final List<ClientInfo> preconnected = new CopyOnWriteArrayList<>();
    final List<OpenRequest> opened = new CopyOnWriteArrayList<>();
    volatile ServerControl server;
    volatile boolean refuse;
    volatile Consumer<ClientConnection> onFlush = c -> {};

    RecordingFilter(String name, List<String> log) {
        this.name = name;
        this.log = log;
    }

    @Override public String name() { return name; }
    @Override public String description() { return "records what layers are told"; }

    @Override
    public void afterStart(ServerControl server) {
        log.add(name + " afterStart");
        this.server = server;
    }

    @Override
    public void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        log.add(name + " preconnect");
        preconnected.add(client);
        if (refuse) {
            throw new NbdException(NbdError.EPERM, name + ": client refused");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        opened.add(request);
        return new FilterHandle(below.open(request)) {
            @Override
            public void flush(int flags) throws IOException {
                onFlush.accept(request.connection());
                super.flush(flags);
            }
        };
    }
}
