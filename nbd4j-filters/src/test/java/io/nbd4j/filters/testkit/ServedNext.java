package io.nbd4j.filters.testkit;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * What the server puts between two layers for one connection, reduced to what filters rely on: every
 * capability answer is asked once and cached, and data calls take the lock that enforces the thread
 * model the lower layer declared (none, this connection's, or one shared by all connections).
 */
public final class ServedNext implements Next {
    @FunctionalInterface
    private interface Query<T> {
        T ask() throws IOException;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private final Handle handle;
    private final Lock lock;
    private final ConcurrentHashMap<String, Object> answers = new ConcurrentHashMap<>();

    public ServedNext(Handle handle, Lock lock) {
        this.handle = handle;
        this.lock = lock;
    }

    public Handle handle() {
        return handle;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String name, Query<T> query) throws IOException {
        Object v = answers.get(name);
        if (v == null) {
            v = query.ask();
            answers.putIfAbsent(name, v);
        }
        return (T) v;
    }

    private void locked(Call call) throws IOException {
        if (lock == null) {
            call.run();
            return;
        }
        lock.lock();
        try {
            call.run();
        } finally {
            lock.unlock();
        }
    }

    @Override public void prepare(boolean readOnly) throws IOException { handle.prepare(readOnly); }
    @Override public void finish() throws IOException { handle.finish(); }
    @Override public void close() { handle.close(); }

    @Override public long size() throws IOException { return cached("size", handle::size); }
    @Override public String description() throws IOException { return handle.description(); }
    @Override public BlockSize blockSize() throws IOException { return handle.blockSize(); }
    @Override public boolean blockSizeEnforced() throws IOException { return handle.blockSizeEnforced(); }
    @Override public boolean canWrite() throws IOException { return cached("write", handle::canWrite); }
    @Override public boolean canFlush() throws IOException { return cached("flush", handle::canFlush); }
    @Override public boolean isRotational() throws IOException { return cached("rotational", handle::isRotational); }
    @Override public boolean canTrim() throws IOException { return cached("trim", handle::canTrim); }
    @Override public boolean canZero() throws IOException { return zeroMode() == ZeroMode.NATIVE; }
    @Override public ZeroMode zeroMode() throws IOException { return cached("zero", handle::zeroMode); }
    @Override public boolean canFastZero() throws IOException { return cached("fastzero", handle::canFastZero); }
    @Override public FuaMode canFua() throws IOException { return cached("fua", handle::canFua); }
    @Override public CacheMode canCache() throws IOException { return cached("cache", handle::canCache); }
    @Override public boolean canExtents() throws IOException { return cached("extents", handle::canExtents); }
    @Override public boolean canMultiConn() throws IOException { return cached("multiconn", handle::canMultiConn); }

    @Override public void pread(ByteBuffer b, long o, int f) throws IOException { locked(() -> handle.pread(b, o, f)); }
    @Override public void pwrite(ByteBuffer b, long o, int f) throws IOException { locked(() -> handle.pwrite(b, o, f)); }
    @Override public void flush(int f) throws IOException { locked(() -> handle.flush(f)); }
    @Override public void trim(long l, long o, int f) throws IOException { locked(() -> handle.trim(l, o, f)); }
    @Override public void zero(long l, long o, int f) throws IOException { locked(() -> handle.zero(l, o, f)); }
    @Override public void extents(long l, long o, int f, Extents e) throws IOException { locked(() -> handle.extents(l, o, f, e)); }
    @Override public void cache(long l, long o, int f) throws IOException { locked(() -> handle.cache(l, o, f)); }
}
