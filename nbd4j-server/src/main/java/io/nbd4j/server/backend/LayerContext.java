package io.nbd4j.server.backend;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;

/**
 * One layer's handle for one connection, as everything above it sees it: the server calls the top
 * one, each filter calls the one below it. It
 * <ul>
 *   <li>asks each capability, the size and the block size once and caches the answer, deriving the
 *       dependent ones (nothing writable when opened read-only; no trim, zero or FUA without write);</li>
 *   <li>enforces the layer's declared thread model at the layer's boundary: the lock (per connection
 *       or shared by all connections) is taken around each call into this layer only, so a filter
 *       that calls another connection's context goes through that connection's serialization;</li>
 *   <li>emulates what the layer asked the server to emulate: FUA as a flush, zero as writes of
 *       zeroes, cache as reads.</li>
 * </ul>
 * The lifecycle methods a filter sees through {@link Next} do nothing: the server prepares, finishes
 * and closes each layer itself through {@link ConnectionBackend}.
 *
 * <p><b>Threads.</b> Thread-safe. Capability answers are computed under a private monitor; data calls
 * take only the layer's thread-model lock, if any.
 */
public final class LayerContext implements Next {
    /** Largest single write when zeroing is emulated ({@link CacheSink#SIZE} is the largest read when caching is). */
    static final int EMULATION_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(EMULATION_CHUNK).asReadOnlyBuffer();

    private final Layer layer;
    private final Handle handle;
    private final boolean readOnly;
    private final Lock lock;
    private final LayerContext below;
    private final Object cacheMonitor = new Object();

    private volatile long size = -1;
    private volatile boolean blockSizeKnown;
    private volatile BlockSize blockSize;
    private volatile Boolean canWrite;
    private volatile Boolean canFlush;
    private volatile Boolean rotational;
    private volatile Boolean canTrim;
    private volatile Boolean canZero;
    private volatile Boolean canFastZero;
    private volatile FuaMode canFua;
    private volatile CacheMode canCache;
    private volatile Boolean canExtents;
    private volatile Boolean canMultiConn;

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
        } finally {
            unlock();
        }
    }

    void finishLayer() throws IOException {
        lock();
        try {
            handle.finish();
        } finally {
            unlock();
        }
    }

    void closeLayer() {
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

    @Override
    public long size() throws IOException {
        long s = size;
        if (s >= 0) {
            return s;
        }
        synchronized (cacheMonitor) {
            if (size < 0) {
                long asked;
                lock();
                try {
                    asked = handle.size();
                } finally {
                    unlock();
                }
                if (asked < 0) {
                    throw new NbdException(NbdError.EIO, layer.name() + ": size is negative: " + asked);
                }
                size = asked;
            }
            return size;
        }
    }

    @Override
    public BlockSize blockSize() throws IOException {
        if (blockSizeKnown) {
            return blockSize;
        }
        synchronized (cacheMonitor) {
            if (!blockSizeKnown) {
                lock();
                try {
                    blockSize = handle.blockSize();
                } finally {
                    unlock();
                }
                blockSizeKnown = true;
            }
            return blockSize;
        }
    }

    @Override
    public String description() throws IOException {
        lock();
        try {
            return handle.description();
        } finally {
            unlock();
        }
    }

    @Override
    public boolean canWrite() throws IOException {
        Boolean v = canWrite;
        if (v != null) {
            return v;
        }
        synchronized (cacheMonitor) {
            if (canWrite == null) {
                canWrite = !readOnly && askBoolean(Capability.WRITE);
            }
            return canWrite;
        }
    }

    @Override
    public boolean canFlush() throws IOException {
        Boolean v = canFlush;
        return v != null ? v : cacheBoolean(Capability.FLUSH);
    }

    @Override
    public boolean isRotational() throws IOException {
        Boolean v = rotational;
        return v != null ? v : cacheBoolean(Capability.ROTATIONAL);
    }

    @Override
    public boolean canTrim() throws IOException {
        Boolean v = canTrim;
        return v != null ? v : cacheBoolean(Capability.TRIM);
    }

    @Override
    public boolean canZero() throws IOException {
        Boolean v = canZero;
        return v != null ? v : cacheBoolean(Capability.ZERO);
    }

    @Override
    public boolean canFastZero() throws IOException {
        Boolean v = canFastZero;
        return v != null ? v : cacheBoolean(Capability.FAST_ZERO);
    }

    @Override
    public boolean canExtents() throws IOException {
        Boolean v = canExtents;
        return v != null ? v : cacheBoolean(Capability.EXTENTS);
    }

    @Override
    public boolean canMultiConn() throws IOException {
        Boolean v = canMultiConn;
        return v != null ? v : cacheBoolean(Capability.MULTI_CONN);
    }

    @Override
    public FuaMode canFua() throws IOException {
        FuaMode v = canFua;
        if (v != null) {
            return v;
        }
        boolean writable = canWrite();
        synchronized (cacheMonitor) {
            if (canFua == null) {
                FuaMode asked = FuaMode.NONE;
                if (writable) {
                    lock();
                    try {
                        asked = handle.canFua();
                    } finally {
                        unlock();
                    }
                }
                canFua = asked == null ? FuaMode.NONE : asked;
            }
            return canFua;
        }
    }

    @Override
    public CacheMode canCache() throws IOException {
        CacheMode v = canCache;
        if (v != null) {
            return v;
        }
        synchronized (cacheMonitor) {
            if (canCache == null) {
                CacheMode asked;
                lock();
                try {
                    asked = handle.canCache();
                } finally {
                    unlock();
                }
                canCache = asked == null ? CacheMode.NONE : asked;
            }
            return canCache;
        }
    }

    private enum Capability { WRITE, FLUSH, ROTATIONAL, TRIM, ZERO, FAST_ZERO, EXTENTS, MULTI_CONN }

    private boolean cacheBoolean(Capability c) throws IOException {
        // the write-dependent capabilities are false without asking when nothing may be written
        boolean needsWrite = c == Capability.TRIM || c == Capability.ZERO || c == Capability.FAST_ZERO;
        boolean writable = !needsWrite || canWrite();
        synchronized (cacheMonitor) {
            Boolean cached = read(c);
            if (cached == null) {
                cached = writable && askBoolean(c);
                store(c, cached);
            }
            return cached;
        }
    }

    private Boolean read(Capability c) {
        return switch (c) {
            case WRITE -> canWrite;
            case FLUSH -> canFlush;
            case ROTATIONAL -> rotational;
            case TRIM -> canTrim;
            case ZERO -> canZero;
            case FAST_ZERO -> canFastZero;
            case EXTENTS -> canExtents;
            case MULTI_CONN -> canMultiConn;
        };
    }

    private void store(Capability c, Boolean value) {
        switch (c) {
            case WRITE -> canWrite = value;
            case FLUSH -> canFlush = value;
            case ROTATIONAL -> rotational = value;
            case TRIM -> canTrim = value;
            case ZERO -> canZero = value;
            case FAST_ZERO -> canFastZero = value;
            case EXTENTS -> canExtents = value;
            case MULTI_CONN -> canMultiConn = value;
        }
    }

    private boolean askBoolean(Capability c) throws IOException {
        lock();
        try {
            return switch (c) {
                case WRITE -> handle.canWrite();
                case FLUSH -> handle.canFlush();
                case ROTATIONAL -> handle.isRotational();
                case TRIM -> handle.canTrim();
                case ZERO -> handle.canZero();
                case FAST_ZERO -> handle.canFastZero();
                case EXTENTS -> handle.canExtents();
                case MULTI_CONN -> handle.canMultiConn();
            };
        } finally {
            unlock();
        }
    }

    /** Asks every capability once, so that no later request can fail on one. */
    void primeCapabilities() throws IOException {
        size();
        blockSize();
        canWrite();
        canFlush();
        isRotational();
        canTrim();
        canZero();
        canFastZero();
        canFua();
        canCache();
        canExtents();
        canMultiConn();
    }

    // ---- data ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
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
        return lock == null ? handle.readView(offset, length) : null;
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
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
        lock();
        try {
            handle.flush(flags);
        } finally {
            unlock();
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
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
        boolean fast = Flags.has(flags, Flags.FAST_ZERO);
        if (fast && !canFastZero()) {
            throw new NbdException(NbdError.ENOTSUP, layer.name() + ": fast zero is not supported");
        }
        FuaMode fua = fuaModeFor(flags);
        int passed = fua == FuaMode.EMULATE ? flags & ~Flags.FUA : flags;
        boolean done = false;
        if (canZero()) {
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
            ByteBuffer zeroes = ZEROES.duplicate().limit(n);
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
}
