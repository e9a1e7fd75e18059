package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens connections through one filter over one plugin the way the server does: open the plugin under
 * the filter's {@code NextOpener}, wrap each layer in a {@link ServedNext} that caches capabilities and
 * enforces that layer's declared thread model, prepare inner to outer, finish and close at the end.
 * With a null filter the client talks to the plugin directly.
 */
public final class FakeServer implements AutoCloseable {
    private final Filter filter;
    private final Plugin plugin;
    private final ThreadModel effective;
    private final Lock allRequestsPlugin = new ReentrantLock();
    private final Lock allRequestsFilter = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    private final List<FakeConnection> open = new ArrayList<>();

    public FakeServer(Filter filter, Plugin plugin) {
        this(filter, plugin, filter == null ? plugin.threadModel() : plugin.threadModel().min(filter.threadModel()));
    }

    public FakeServer(Filter filter, Plugin plugin, ThreadModel effective) {
        this.filter = filter;
        this.plugin = plugin;
        this.effective = effective;
    }

    public FakeConnection connect() throws IOException {
        return connect("");
    }

    public FakeConnection connect(String export) throws IOException {
        return connect(export, false);
    }

    /** Opens and prepares a connection (or an NBD_OPT_INFO probe); throws what open or prepare threw. */
    public FakeConnection connect(String export, boolean probe) throws IOException {
        OpenRequest request = new OpenRequest(export, false, false, ids.incrementAndGet(), effective, probe);
        ServedNext[] pluginLayer = new ServedNext[1];
        Handle top;
        if (filter == null) {
            pluginLayer[0] = new ServedNext(plugin.open(request), lockFor(plugin.threadModel(), allRequestsPlugin));
            top = pluginLayer[0];
        } else {
            Handle filterHandle = filter.open(request, r -> {
                pluginLayer[0] = new ServedNext(plugin.open(r), lockFor(plugin.threadModel(), allRequestsPlugin));
                return pluginLayer[0];
            });
            top = new ServedNext(filterHandle, lockFor(filter.threadModel(), allRequestsFilter));
        }
        try {
            pluginLayer[0].prepare(false);
            if (top != pluginLayer[0]) {
                top.prepare(false);
            }
        } catch (IOException | RuntimeException e) {
            top.close();
            if (top != pluginLayer[0]) {
                pluginLayer[0].close();
            }
            throw e;
        }
        FakeConnection c = new FakeConnection(top, pluginLayer[0]);
        synchronized (open) {
            open.add(c);
        }
        return c;
    }

    private Lock lockFor(ThreadModel declared, Lock shared) {
        return switch (declared) {
            case PARALLEL -> null;
            case SERIALIZE_REQUESTS -> new ReentrantLock();
            case SERIALIZE_ALL_REQUESTS, SERIALIZE_CONNECTIONS -> shared;
        };
    }

    /** Finishes and closes every connection still open. */
    @Override
    public void close() throws IOException {
        List<FakeConnection> all;
        synchronized (open) {
            all = List.copyOf(open);
            open.clear();
        }
        for (FakeConnection c : all) {
            c.disconnect();
        }
    }
}
