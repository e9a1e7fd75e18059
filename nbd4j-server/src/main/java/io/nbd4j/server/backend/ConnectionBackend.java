package io.nbd4j.server.backend;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stack of layer contexts opened for one connection (or one {@code NBD_OPT_INFO} probe), and
 * their lifecycle: open from the outermost filter down (a filter's {@code open} opens what lies
 * below it), {@code prepare} inner to outer, {@code finish} outer to inner, {@code close} outer to
 * inner, always.
 *
 * <p><b>Threads.</b> Opened, prepared, finished and closed by the connection's thread; the contexts
 * themselves are thread-safe.
 */
public final class ConnectionBackend implements AutoCloseable {
    private final List<LayerContext> contexts;   // outermost first, only the layers actually opened
    private boolean prepared;
    private boolean closed;

    private ConnectionBackend(List<LayerContext> contexts) {
        this.contexts = contexts;
    }

    /**
     * Opens every layer for {@code request}. On failure whatever was opened is closed again and the
     * exception is passed on.
     */
    public static ConnectionBackend open(LayerLocks locks, OpenRequest request) throws IOException {
        List<LayerContext> opened = new ArrayList<>();
        try {
            LayerContext top = openLayer(locks, 0, request, opened);
            List<LayerContext> chain = new ArrayList<>();
            for (LayerContext c = top; c != null; c = c.below()) {
                chain.add(c);
            }
            return new ConnectionBackend(List.copyOf(chain));
        } catch (IOException | RuntimeException e) {
            // opened holds innermost first; close outer to inner
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).closeLayer();
            }
            throw e;
        }
    }

    private static LayerContext openLayer(LayerLocks locks, int index, OpenRequest request,
                                          List<LayerContext> opened) throws IOException {
        Layer layer = locks.layers().get(index);
        if (layer instanceof Plugin plugin) {
            Handle handle = Objects.requireNonNull(plugin.open(request), () -> plugin.name() + ": open returned null");
            LayerContext context = new LayerContext(layer, handle, request.readOnly(), locks.lockFor(index), null);
            opened.add(context);
            return context;
        }
        Filter filter = (Filter) layer;
        LayerContext[] below = new LayerContext[1];
        Handle handle = filter.open(request, lowerRequest -> {
            if (below[0] != null) {
                throw new IllegalStateException(filter.name() + ": opened the layer below twice");
            }
            below[0] = openLayer(locks, index + 1, lowerRequest, opened);
            return below[0];
        });
        Objects.requireNonNull(handle, () -> filter.name() + ": open returned null");
        LayerContext context = new LayerContext(layer, handle, request.readOnly(), locks.lockFor(index), below[0]);
        opened.add(context);
        return context;
    }

    /** The context the server calls: the outermost layer's. */
    public Next top() {
        return contexts.getFirst();
    }

    /** The contexts, outermost first. */
    public List<LayerContext> contexts() {
        return contexts;
    }

    /** Prepares every layer, inner to outer, then asks the top layer every capability once. */
    public void prepare() throws IOException {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).prepareLayer();
        }
        prepared = true;
        contexts.getFirst().primeCapabilities();
    }

    /** Finishes every layer, outer to inner, if the stack was prepared; the first failure is rethrown after all ran. */
    public void finish() throws IOException {
        if (!prepared) {
            return;
        }
        prepared = false;
        IOException first = null;
        for (LayerContext c : contexts) {
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
        if (closed) {
            return;
        }
        closed = true;
        for (LayerContext c : contexts) {
            try {
                c.closeLayer();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ConnectionBackend.class)
                        .warn("{}: close failed: {}", c.layer().name(), e.toString());
            }
        }
    }
}
