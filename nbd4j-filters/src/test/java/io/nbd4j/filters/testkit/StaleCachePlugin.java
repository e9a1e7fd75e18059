package io.nbd4j.filters.testkit;

import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plugin whose connections each keep a write-back cache of 8-byte blocks over storage shared by all
 * connections of an export, so that a missing flush shows as a stale read:
 * <ul>
 * <li>pwrite/zero/trim go to the connection's cache (dirty); with FUA they also reach storage;</li>
 * <li>pread answers from the connection's cache, else reads storage and caches the block (clean);</li>
 * <li>flush writes the connection's dirty blocks to storage and drops its whole cache.</li>
 * </ul>
 * With {@code consistent(true)} it has no caches and advertises multi-conn. It counts flush calls,
 * can fail a connection's next flushes, can hold flushes at a gate, and records any call that arrives
 * while another is running on the same handle (or anywhere) when its thread model forbids it.
 *
 * <p>Threads: each handle serializes its own calls with its monitor; storage is a concurrent map.
 */
public final class StaleCachePlugin implements Plugin {
    public static final int BLOCK = 8;
    public static final int BLOCKS = 64;

    private boolean consistent;
    private boolean canFlush = true;
    private FuaMode fua = FuaMode.NATIVE;
    private ThreadModel threadModel = ThreadModel.PARALLEL;

    private final Map<String, Map<Integer, Long>> storage = new ConcurrentHashMap<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final LongAdder flushes = new LongAdder();
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final LongAdder threadModelViolations = new LongAdder();
    private volatile FlushGate gate;
    private volatile ReadGate readGate = (c, afterCaching) -> { };

    /** Called inside a connection's flush before it does anything; may block or throw. */
    @FunctionalInterface
    public interface FlushGate {
        void enter(Connection c) throws IOException;
    }

    /**
     * Called inside a connection's pread outside its monitor: before it reads ({@code afterCaching} false)
     * and after it has read and cached the blocks (true); may block.
     */
    @FunctionalInterface
    public interface ReadGate {
        void enter(Connection c, boolean afterCaching);
    }

    public void readGate(ReadGate g) {
        readGate = g;
    }

    public StaleCachePlugin consistent(boolean v) {
        consistent = v;
        return this;
    }

    public StaleCachePlugin canFlush(boolean v) {
        canFlush = v;
        return this;
    }

    public StaleCachePlugin fua(FuaMode v) {
        fua = v;
        return this;
    }

    public StaleCachePlugin threadModel(ThreadModel v) {
        threadModel = v;
        return this;
    }

    public void gate(FlushGate g) {
        gate = g;
    }

    @Override public String name() { return "stale-cache"; }
    @Override public String description() { return "per-connection write-back caches for tests"; }
    @Override public ThreadModel threadModel() { return threadModel; }

    @Override
    public Handle open(OpenRequest request) {
        Connection c = new Connection(request.exportName(), request.connectionId());
        connections.add(c);
        return c;
    }

    /** Plugin flush calls on every connection so far. */
    public long flushes() {
        return flushes.sum();
    }

    public long threadModelViolations() {
        return threadModelViolations.sum();
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The value last flushed to storage for a block of an export (0 if never). */
    public long stored(String export, int block) {
        return storage.getOrDefault(export, Map.of()).getOrDefault(block, 0L);
    }

    private Map<Integer, Long> storageOf(String export) {
        return storage.computeIfAbsent(export, e -> new ConcurrentHashMap<>());
    }

    /** One connection's handle with its private cache. */
    public final class Connection implements Handle {
        private final String export;
        private final long id;
        private final Map<Integer, Long> cache = new HashMap<>();
        private final Set<Integer> dirty = new HashSet<>();
        private final LongAdder ownFlushes = new LongAdder();
        private final AtomicInteger active = new AtomicInteger();
        private final AtomicInteger failFlushes = new AtomicInteger();
        private volatile boolean closed;

        Connection(String export, long id) {
            this.export = export;
            this.id = id;
        }

        public long id() {
            return id;
        }

        public String export() {
            return export;
        }

        public long flushes() {
            return ownFlushes.sum();
        }

        /** Makes the next {@code n} flushes of this connection fail with ENOSPC, keeping the cache. */
        public void failNextFlushes(int n) {
            failFlushes.set(n);
        }

        public synchronized boolean hasDirtyBlocks() {
            return !dirty.isEmpty();
        }

        @Override public long size() { return (long) BLOCK * BLOCKS; }
        @Override public boolean canWrite() { return true; }
        @Override public boolean canFlush() { return canFlush; }
        @Override public boolean canTrim() { return true; }
        @Override public boolean canZero() { return true; }
        @Override public FuaMode canFua() { return canFlush ? fua : FuaMode.NONE; }
        @Override public boolean canMultiConn() { return consistent; }

        /** Whether a call arrived after {@link #close()}, which the server never allows. */
        public boolean calledAfterClose() {
            return calledAfterClose;
        }

        private volatile boolean calledAfterClose;

        @Override
        public void close() {
            closed = true;
        }

        private void enter() {
            if (closed) {
                calledAfterClose = true;
            }
            int here = active.incrementAndGet();
            int everywhere = activeCalls.incrementAndGet();
            if ((threadModel.compareTo(ThreadModel.SERIALIZE_REQUESTS) <= 0 && here > 1)
                    || (threadModel.compareTo(ThreadModel.SERIALIZE_ALL_REQUESTS) <= 0 && everywhere > 1)) {
                threadModelViolations.increment();
            }
        }

        private void exit() {
            active.decrementAndGet();
            activeCalls.decrementAndGet();
        }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) {
            enter();
            try {
                readGate.enter(this, false);
                synchronized (this) {
                    for (int b = firstBlock(offset, buffer.remaining()); buffer.hasRemaining(); b++) {
                        buffer.putLong(readBlock(b));
                    }
                }
                readGate.enter(this, true);
            } finally {
                exit();
            }
        }

        private long readBlock(int b) {
            Map<Integer, Long> shared = storageOf(export);
            if (consistent) {
                return shared.getOrDefault(b, 0L);
            }
            return cache.computeIfAbsent(b, k -> shared.getOrDefault(k, 0L));
        }

        @Override
        public void pwrite(ByteBuffer buffer, long offset, int flags) {
            ByteBuffer data = buffer.duplicate();
            int first = firstBlock(offset, data.remaining());
            long[] values = new long[data.remaining() / BLOCK];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.getLong();
            }
            writeBlocks(first, values, flags);
        }

        @Override
        public void zero(long length, long offset, int flags) {
            writeBlocks(firstBlock(offset, length), new long[(int) (length / BLOCK)], flags);
        }

        @Override
        public void trim(long length, long offset, int flags) {
            zero(length, offset, flags);
        }

        private void writeBlocks(int first, long[] values, int flags) {
            enter();
            try {
                synchronized (this) {
                    Map<Integer, Long> shared = storageOf(export);
                    for (int i = 0; i < values.length; i++) {
                        int b = first + i;
                        if (consistent || Flags.has(flags, Flags.FUA)) {
                            shared.put(b, values[i]);
                        }
                        if (!consistent) {
                            cache.put(b, values[i]);
                            if (Flags.has(flags, Flags.FUA)) {
                                dirty.remove(b);
                            } else {
                                dirty.add(b);
                            }
                        }
                    }
                }
            } finally {
                exit();
            }
        }

        @Override
        public void flush(int flags) throws IOException {
            enter();
            try {
                FlushGate g = gate;
                if (g != null) {
                    g.enter(this);
                }
                synchronized (this) {
                    if (failFlushes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new NbdException(NbdError.ENOSPC, "connection " + id + ": flush failed (injected)");
                    }
                    Map<Integer, Long> shared = storageOf(export);
                    for (int b : dirty) {
                        shared.put(b, cache.get(b));
                    }
                    dirty.clear();
                    cache.clear();
                    ownFlushes.increment();
                    flushes.increment();
                }
            } finally {
                exit();
            }
        }

        private static int firstBlock(long offset, long length) {
            if (offset % BLOCK != 0 || length % BLOCK != 0) {
                throw new IllegalArgumentException("unaligned request at " + offset + " length " + length);
            }
            return (int) (offset / BLOCK);
        }
    }
}
