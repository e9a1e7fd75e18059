package io.nbd4j.server.backend;

import io.nbd4j.server.LayerStack;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.ThreadModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server-wide half of thread-model enforcement: one lock per layer that declared
 * {@link ThreadModel#SERIALIZE_ALL_REQUESTS} or stricter, shared by every connection, and the
 * admission permit that lets one connection at a time in when the effective model is
 * {@link ThreadModel#SERIALIZE_CONNECTIONS}. Each layer's declared model is read once, here.
 *
 * <p>Thread-safe; created once when the server starts.
 */
public final class LayerLocks {
    private final List<Layer> layers;
    private final List<ThreadModel> models;
    private final List<Lock> sharedLocks;
    private final Semaphore admission;
    private final ThreadModel effective;

    public LayerLocks(LayerStack stack) {
        List<Layer> all = new ArrayList<>(stack.filters());
        all.add(stack.plugin());
        this.layers = List.copyOf(all);
        List<ThreadModel> declared = new ArrayList<>();
        List<Lock> locks = new ArrayList<>();
        for (Layer layer : layers) {
            ThreadModel m = layer.threadModel();
            declared.add(m);
            locks.add(m.compareTo(ThreadModel.SERIALIZE_ALL_REQUESTS) <= 0 ? new ReentrantLock() : null);
        }
        this.models = List.copyOf(declared);
        this.sharedLocks = java.util.Collections.unmodifiableList(locks);
        this.effective = stack.threadModel();
        this.admission = effective == ThreadModel.SERIALIZE_CONNECTIONS ? new Semaphore(1, true) : null;
    }

    /** The layers, outermost filter first, plugin last. */
    public List<Layer> layers() {
        return layers;
    }

    /** The effective thread model of the whole stack. */
    public ThreadModel effective() {
        return effective;
    }

    /** The permit a connection must hold for its whole life, or {@code null} when connections run in parallel. */
    public Semaphore admission() {
        return admission;
    }

    /**
     * The lock that layer {@code index} needs for one connection: the shared lock, a fresh lock of
     * the connection's own, or {@code null} for a parallel layer.
     */
    Lock lockFor(int index) {
        return switch (models.get(index)) {
            case PARALLEL -> null;
            case SERIALIZE_REQUESTS -> new ReentrantLock();
            case SERIALIZE_ALL_REQUESTS, SERIALIZE_CONNECTIONS -> sharedLocks.get(index);
        };
    }
}
