package io.nbd4j.server.backend;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Completion;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;

/**
 * One layer's handle for one connection, as everything above it sees it: the server calls the top
 * one, each filter calls the one below it. It
 * <ul>
 *   <li>asks each capability, the size and the block size once and caches the answer, deriving the
 *       dependent ones (nothing writable when opened read-only; no trim, zero, fast zero or FUA without
 *       write; no fast zero when write-zeroes is hidden);</li>
 *   <li>enforces the layer's declared thread model at the layer's boundary: the lock (per connection
 *       or shared by all connections) is taken around each call into this layer only, so a filter
 *       that calls another connection's context goes through that connection's serialization;</li>
 *   <li>emulates what the layer asked the server to emulate: FUA as a flush, zero as writes of
 *       zeroes, cache as reads.</li>
 * </ul>
 * The lifecycle methods a filter sees through {@link Next} do nothing: the server prepares, finishes
 * and closes each layer itself through {@link ConnectionBackend}.
 *
 * <p><b>Threads.</b> Thread-safe. Each answer is kept in its own {@link Memo}, asked under the layer's
 * thread-model lock; data calls take only that lock, if any.
 */
public final class LayerContext implements Next {
    /** Largest single write when zeroing is emulated ({@link CacheSink#SIZE} is the largest read when caching is). */
    static final int EMULATION_CHUNK = 1 << 20;

    private final Layer layer;
    private final Handle handle;
    private final boolean readOnly;
    private final Lock lock;
    private final LayerContext below;
    private volatile boolean prepared;
    private volatile boolean closed;
    private final Memo<Long> size = new Memo<>(this::askSize);
    private final Memo<BlockSize> blockSize = new Memo<>(() -> ask(Handle::blockSize));
    private final Memo<Boolean> blockSizeEnforced = new Memo<>(() -> ask(Handle::blockSizeEnforced));
    // Nothing may be written through a context opened read-only, whatever the layer says.
    private final Memo<Boolean> canWrite = new Memo<>(() -> !openedReadOnly() && ask(Handle::canWrite));
    private final Memo<Boolean> canFlush = new Memo<>(() -> ask(Handle::canFlush));
    private final Memo<Boolean> rotational = new Memo<>(() -> ask(Handle::isRotational));
    // Trim, zero and fast zero are off without asking when nothing may be written. Zero emulated with
    // writes still allows fast zero to be asked; only zero hidden altogether rules it out, as in nbdkit.
    private final Memo<Boolean> canTrim = new Memo<>(() -> canWrite() && ask(Handle::canTrim));
    private final Memo<ZeroMode> zeroMode = new Memo<>(() -> canWrite() ? orElse(ask(Handle::zeroMode), ZeroMode.NONE) : ZeroMode.NONE);
    private final Memo<Boolean> canFastZero = new Memo<>(() -> zeroMode() != ZeroMode.NONE && ask(Handle::canFastZero));
    private final Memo<FuaMode> canFua = new Memo<>(() -> canWrite() ? orElse(ask(Handle::canFua), FuaMode.NONE) : FuaMode.NONE);
    private final Memo<CacheMode> canCache = new Memo<>(() -> orElse(ask(Handle::canCache), CacheMode.NONE));
    private final Memo<Boolean> canExtents = new Memo<>(() -> ask(Handle::canExtents));
    private final Memo<Boolean> canMultiConn = new Memo<>(() -> ask(Handle::canMultiConn));

    LayerContext(Layer layer, Handle handle, boolean readOnly, Lock lock, LayerContext below) {
        this.layer = layer;
        this.handle = handle;
        this.readOnly = readOnly;
        this.lock = lock;
        this.below = below;
    }

    /** The layer this context belongs to. */
    public Layer layer() {
        return layer;
    }

    /** The context of the layer below, or {@code null} for the plugin (or a filter that opened nothing below). */
    LayerContext below() {
        return below;
    }

    boolean openedReadOnly() {
        return readOnly;
    }

    // ---- lifecycle, driven by ConnectionBackend ----

    void prepareLayer() throws IOException {
        lock();
        try {
            handle.prepare(readOnly);
            prepared = true;
        } finally {
            unlock();
        }
    }

    /** Finishes the layer if it was prepared and not finished yet. */
    void finishLayer() throws IOException {
        if (!prepared) {
            return;
        }
        prepared = false;
        lock();
        try {
            handle.finish();
        } finally {
            unlock();
        }
    }

    /** Closes the layer; from now on every call through this context fails with {@code ESHUTDOWN}. */
    void closeLayer() {
        closed = true;
        lock();
        try {
            handle.close();
        } finally {
            unlock();
        }
    }

    /** Does nothing: the server prepares each layer itself. */
    @Override
    public void prepare(boolean readOnly) {}

    /** Does nothing: the server finishes each layer itself. */
    @Override
    public void finish() {}

    /** Does nothing: the server closes each layer itself. */
    @Override
    public void close() {}

    // ---- cached answers ----

    @Override public long size() throws IOException { return size.get(); }
    @Override public BlockSize blockSize() throws IOException { return blockSize.get(); }
    @Override public boolean blockSizeEnforced() throws IOException { return blockSizeEnforced.get(); }
    @Override public boolean canWrite() throws IOException { return canWrite.get(); }
    @Override public boolean canFlush() throws IOException { return canFlush.get(); }
    @Override public boolean isRotational() throws IOException { return rotational.get(); }
    @Override public boolean canTrim() throws IOException { return canTrim.get(); }
    @Override public boolean canZero() throws IOException { return zeroMode() == ZeroMode.NATIVE; }
    @Override public ZeroMode zeroMode() throws IOException { return zeroMode.get(); }
    @Override public boolean canFastZero() throws IOException { return canFastZero.get(); }
    @Override public FuaMode canFua() throws IOException { return canFua.get(); }
    @Override public CacheMode canCache() throws IOException { return canCache.get(); }
    @Override public boolean canExtents() throws IOException { return canExtents.get(); }
    @Override public boolean canMultiConn() throws IOException { return canMultiConn.get(); }

    /** Asked each time, not cached: the handshake needs it at most once per export opened. */
    @Override
    public String description() throws IOException {
        return ask(Handle::description);
    }

    private long askSize() throws IOException {
        long asked = ask(Handle::size);
        if (asked < 0) {
            throw new NbdException(NbdError.EIO, layer.name() + ": size is negative: " + asked);
        }
        return asked;
    }

    /** A question to this layer's handle. */
    @FunctionalInterface
    private interface Query<T> {
        T ask(Handle handle) throws IOException;
    }

    /** Puts one question to the layer under its thread-model lock. */
    private <T> T ask(Query<T> query) throws IOException {
        requireOpen();
        lock();
        try {
            return query.ask(handle);
        } finally {
            unlock();
        }
    }

    private static <T> T orElse(T answer, T fallback) {
        return answer == null ? fallback : answer;
    }

    /** Asks every capability once, so that no later request can fail on one. */
    void primeCapabilities() throws IOException {
        size();
        blockSize();
        blockSizeEnforced();
        canWrite();
        canFlush();
        isRotational();
        canTrim();
        zeroMode();
        canFastZero();
        canFua();
        canCache();
        canExtents();
        canMultiConn();
    }

    // ---- data ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        requireOpen();
        lock();
        try {
            handle.pread(buffer, offset, flags);
        } finally {
            unlock();
        }
    }

    /**
     * Passes the question on only to a layer that runs requests in parallel: the view is read after
     * the call returns, which a serializing layer's lock could not cover.
     */
    @Override
    public ByteBuffer readView(long offset, int length) throws IOException {
        requireOpen();
        return lock == null ? handle.readView(offset, length) : null;
    }

    /** As {@link #readView}: only a layer that runs requests in parallel, whose lock could not cover the wait. */
    @Override
    public boolean startPread(ByteBuffer buffer, long offset, int flags, Completion done) throws IOException {
        requireOpen();
        return lock == null && handle.startPread(buffer, offset, flags, done);
    }

    /** A FUA the layer does not do itself needs a flush after the write, so it goes through {@link #pwrite}. */
    @Override
    public boolean startPwrite(ByteBuffer buffer, long offset, int flags, Completion done) throws IOException {
        requireOpen();
        if (lock != null || (Flags.has(flags, Flags.FUA) && canFua() != FuaMode.NATIVE)) {
            return false;
        }
        return handle.startPwrite(buffer, offset, flags, done);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        requireOpen();
        FuaMode fua = fuaModeFor(flags);
        lock();
        try {
            handle.pwrite(buffer, offset, fua == FuaMode.EMULATE ? flags & ~Flags.FUA : flags);
        } finally {
            unlock();
        }
        flushIfEmulated(fua);
    }

    @Override
    public void flush(int flags) throws IOException {
        requireOpen();
        lock();
        try {
            handle.flush(flags);
        } finally {
            unlock();
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        requireOpen();
        FuaMode fua = fuaModeFor(flags);
        lock();
        try {
            handle.trim(length, offset, fua == FuaMode.EMULATE ? flags & ~Flags.FUA : flags);
        } finally {
            unlock();
        }
        flushIfEmulated(fua);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        requireOpen();
        ZeroMode mode = zeroMode();
        if (mode == ZeroMode.NONE) {
            throw new NbdException(NbdError.EINVAL, layer.name() + ": write zeroes is not supported");
        }
        boolean fast = Flags.has(flags, Flags.FAST_ZERO);
        if (fast && !canFastZero()) {
            throw new NbdException(NbdError.ENOTSUP, layer.name() + ": fast zero is not supported");
        }
        FuaMode fua = fuaModeFor(flags);
        int passed = fua == FuaMode.EMULATE ? flags & ~Flags.FUA : flags;
        boolean done = false;
        if (mode == ZeroMode.NATIVE) {
            lock();
            try {
                handle.zero(length, offset, passed);
                done = true;
            } catch (NbdException e) {
                if (e.error() != NbdError.ENOTSUP || fast) {
                    throw e;
                }
            } finally {
                unlock();
            }
        } else if (fast) {
            throw new NbdException(NbdError.ENOTSUP, layer.name() + ": zeroing is emulated, so it is not fast");
        }
        if (!done) {
            writeZeroes(length, offset, fua == FuaMode.NATIVE ? Flags.FUA : 0);
        }
        flushIfEmulated(fua);
    }

    private void writeZeroes(long length, long offset, int flags) throws IOException {
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(EMULATION_CHUNK, length - done);
            ByteBuffer zeroes = Zeroes.CHUNK.duplicate().limit(n);
            lock();
            try {
                handle.pwrite(zeroes, offset + done, flags);
            } finally {
                unlock();
            }
            done += n;
        }
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        requireOpen();
        switch (canCache()) {
            case NONE -> throw new NbdException(NbdError.EINVAL, layer.name() + ": cache is not supported");
            case NATIVE -> {
                lock();
                try {
                    handle.cache(length, offset, flags);
                } finally {
                    unlock();
                }
            }
            case EMULATE -> readAndDiscard(length, offset);
        }
    }

    private void readAndDiscard(long length, long offset) throws IOException {
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(CacheSink.SIZE, length - done);
            lock();
            try {
                handle.pread(CacheSink.view(n), offset + done, 0);
            } finally {
                unlock();
            }
            done += n;
        }
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        requireOpen();
        long end = size();
        if (!canExtents()) {
            extents.add(offset, Math.min(length, end - offset), Extents.DATA);
            return;
        }
        CheckedExtents checked = new CheckedExtents(layer.name(), offset, end, extents);
        lock();
        try {
            handle.extents(length, offset, flags, checked);
        } finally {
            unlock();
        }
        checked.finish();
    }

    private FuaMode fuaModeFor(int flags) throws IOException {
        if (!Flags.has(flags, Flags.FUA)) {
            return null;
        }
        FuaMode mode = canFua();
        if (mode == FuaMode.NONE) {
            throw new NbdException(NbdError.EINVAL, layer.name() + ": FUA is not supported");
        }
        return mode;
    }

    private void flushIfEmulated(FuaMode fua) throws IOException {
        if (fua == FuaMode.EMULATE) {
            flush(0);
        }
    }

    /**
     * A filter that reopened the layers below it may still hold this, the old context: a call must not
     * reach a closed handle (a file plugin's descriptor may already belong to another file).
     */
    private void requireOpen() throws NbdException {
        if (closed) {
            throw new NbdException(NbdError.ESHUTDOWN, layer.name() + ": this layer was closed (the layers below a filter were reopened)");
        }
    }

    private void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    private void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LayerContext[" + layer.name() + "]";
    }

    /**
     * The zeroes written when zeroing is emulated, made on first use: allocating and clearing 1 MiB of
     * direct memory costs ~0.5-1 ms of page faults, which the first connection of every server paid
     * in its handshake when this was a field of the enclosing class.
     */
    private static final class Zeroes {
        static final ByteBuffer CHUNK = ByteBuffer.allocateDirect(EMULATION_CHUNK).asReadOnlyBuffer();
    }
}
