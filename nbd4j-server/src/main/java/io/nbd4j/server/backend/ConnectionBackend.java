package io.nbd4j.server.backend;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stack of layer contexts opened for one connection (or one {@code NBD_OPT_INFO} probe), and
 * their lifecycle: open from the outermost filter down (a filter's {@code open} opens what lies
 * below it), {@code prepare} inner to outer, {@code finish} outer to inner, {@code close} outer to
 * inner, always. A filter may replace the layers below it during the connection
 * ({@link NextOpener#reopen}); the stack then finishes and closes the old ones and owns the new ones.
 *
 * <p><b>Threads.</b> Opened, prepared, finished and closed by the connection's thread; a reopen comes
 * from whichever thread runs the filter's call. The list of contexts is guarded by this object's
 * monitor; the contexts themselves are thread-safe.
 */
public final class ConnectionBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBackend.class);

    private final LayerLocks locks;
    private final DefaultExports defaults;
    private final LayerTracing tracing;
    private final List<LayerContext> contexts = new ArrayList<>();   // outermost first, only the layers open now
    private boolean ended;

    private ConnectionBackend(LayerLocks locks, DefaultExports defaults, LayerTracing tracing) {
        this.locks = locks;
        this.defaults = defaults;
        this.tracing = tracing;
    }

    /**
     * Opens every layer for {@code request}, passing the empty export name down unchanged. On failure
     * whatever was opened is closed again and the exception is passed on.
     */
    public static ConnectionBackend open(LayerLocks locks, OpenRequest request) throws IOException {
        return open(locks, request, DefaultExports.NONE, LayerTracing.OFF);
    }

    /**
     * Opens every layer for {@code request}. A layer below the top that a filter opens with the empty
     * export name is opened with that layer's default export instead, as nbdkit does. On failure
     * whatever was opened is closed again and the exception is passed on. {@code tracing} says which
     * calls into the layers are logged.
     */
    public static ConnectionBackend open(LayerLocks locks, OpenRequest request, DefaultExports defaults,
                                         LayerTracing tracing) throws IOException {
        ConnectionBackend backend = new ConnectionBackend(locks, defaults, tracing);
        backend.contexts.addAll(backend.openChain(0, request));
        return backend;
    }

    /** Opens layer {@code index} and what it opens below; the chain, outermost first, or closed again on failure. */
    private List<LayerContext> openChain(int index, OpenRequest request) throws IOException {
        List<LayerContext> opened = new ArrayList<>();   // innermost first
        try {
            LayerContext top = openLayer(index, request, opened);
            List<LayerContext> chain = new ArrayList<>();
            for (LayerContext c = top; c != null; c = c.below()) {
                chain.add(c);
            }
            return chain;
        } catch (IOException | RuntimeException e) {
            closeAll(opened.reversed());
            throw e;
        }
    }

    private LayerContext openLayer(int index, OpenRequest asked, List<LayerContext> opened) throws IOException {
        Layer layer = locks.layers().get(index);
        OpenRequest request = asked;
        if (index > 0 && asked.exportName().isEmpty()) {
            String name = defaults.of(index);
            if (name == null) {
                throw new NbdException(NbdError.EINVAL, layer.name() + ": the default export (\"\") is not permitted");
            }
            request = asked.withExportName(name);
        }
        TracingHandle.open(request.connectionId(), layer.name(), request.readOnly(), request.exportName(), request.tls(), tracing);
        if (layer instanceof Plugin plugin) {
            Handle handle = traced(Objects.requireNonNull(plugin.open(request), () -> plugin.name() + ": open returned null"), layer, request);
            LayerContext context = new LayerContext(layer, handle, request.readOnly(), locks.lockFor(index), null);
            opened.add(context);
            return context;
        }
        Filter filter = (Filter) layer;
        Opener below = new Opener(filter, index + 1, opened);
        Handle handle = traced(Objects.requireNonNull(filter.open(request, below), () -> filter.name() + ": open returned null"), layer, request);
        LayerContext context = new LayerContext(layer, handle, request.readOnly(), locks.lockFor(index), below.first);
        below.owner = context;
        opened.add(context);
        return context;
    }

    private Handle traced(Handle handle, Layer layer, OpenRequest request) {
        return tracing.any() ? new TracingHandle(handle, request.connectionId(), layer.name(), tracing) : handle;
    }

    /** The context the server calls: the outermost layer's. */
    public synchronized Next top() {
        return contexts.getFirst();
    }

    /** The contexts open now, outermost first. */
    public synchronized List<LayerContext> contexts() {
        return List.copyOf(contexts);
    }

    /** Prepares every layer, inner to outer, then asks the top layer every capability once. */
    public void prepare() throws IOException {
        List<LayerContext> chain = contexts();
        prepareAll(chain);
        chain.getFirst().primeCapabilities();
    }

    private static void prepareAll(List<LayerContext> chain) throws IOException {
        for (LayerContext c : chain.reversed()) {
            c.prepareLayer();
        }
    }

    /** Finishes every prepared layer, outer to inner; the first failure is rethrown after all ran. */
    public void finish() throws IOException {
        List<LayerContext> chain;
        synchronized (this) {
            ended = true;
            chain = List.copyOf(contexts);
        }
        IOException first = null;
        for (LayerContext c : chain) {
            try {
                c.finishLayer();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Closes every layer, outer to inner; idempotent; never throws. */
    @Override
    public void close() {
        List<LayerContext> chain;
        synchronized (this) {
            ended = true;
            chain = List.copyOf(contexts);
            contexts.clear();
        }
        closeAll(chain);
    }

    private static void closeAll(List<LayerContext> outermostFirst) {
        for (LayerContext c : outermostFirst) {
            try {
                c.closeLayer();
            } catch (RuntimeException e) {
                LOG.warn("{}: close failed: {}", c.layer().name(), e.toString());
            }
        }
    }

    /**
     * Replaces the layers below {@code owner}: finish and close the old ones, open, prepare and query
     * the new ones. Held under this object's monitor, so reopens and the end of the connection do not
     * interleave.
     */
    private synchronized Next reopenBelow(LayerContext owner, int index, OpenRequest request) throws IOException {
        int at = contexts.indexOf(owner);
        if (ended || at < 0) {
            throw new NbdException(NbdError.ESHUTDOWN, owner.layer().name() + ": cannot reopen the layers below: the connection has ended");
        }
        List<LayerContext> old = List.copyOf(contexts.subList(at + 1, contexts.size()));
        contexts.subList(at + 1, contexts.size()).clear();
        for (LayerContext c : old) {
            try {
                c.finishLayer();
            } catch (IOException | RuntimeException e) {
                LOG.info("{}: finishing before a reopen failed: {}", c.layer().name(), e.toString());
            }
        }
        closeAll(old);
        List<LayerContext> fresh = openChain(index, request);
        try {
            prepareAll(fresh);
            fresh.getFirst().primeCapabilities();
        } catch (IOException | RuntimeException e) {
            closeAll(fresh);
            throw e;
        }
        contexts.addAll(fresh);
        return fresh.getFirst();
    }

    /**
     * The {@link NextOpener} a filter gets in {@code open}: opens the layers below once, then, once the
     * filter's own context exists, reopens them on request.
     */
    private final class Opener implements NextOpener {
        private final Filter filter;
        private final int index;
        private final List<LayerContext> opened;
        private LayerContext first;
        private volatile LayerContext owner;

        Opener(Filter filter, int index, List<LayerContext> opened) {
            this.filter = filter;
            this.index = index;
            this.opened = opened;
        }

        /**
         * Opens the layers below. After a failure the filter may try again (the retry filters do):
         * whatever the failed attempt had opened below is closed first.
         */
        @Override
        public Next open(OpenRequest request) throws IOException {
            if (first != null) {
                throw new IllegalStateException(filter.name() + ": opened the layer below twice");
            }
            int before = opened.size();
            try {
                first = openLayer(index, request, opened);
            } catch (IOException | RuntimeException e) {
                List<LayerContext> failed = opened.subList(before, opened.size());
                closeAll(List.copyOf(failed).reversed());
                failed.clear();
                throw e;
            }
            return first;
        }

        @Override
        public Next reopen(OpenRequest request) throws IOException {
            LayerContext self = owner;
            if (self == null) {
                throw new IllegalStateException(filter.name() + ": reopen is possible only once open has returned");
            }
            return reopenBelow(self, index, request);
        }
    }
}
