package io.nbd4j.plugins.common;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Handle;

/**
 * The handle of a disk held or computed in this process (memory, data, null, full, pattern, zero):
 * every connection sees the same bytes, so the disk is multi-conn, and reading is already as cheap as
 * it gets, so cache is advertised as native and does nothing. Read-only unless a subclass says
 * otherwise ({@link WritableInProcessDiskHandle}).
 *
 * <p><b>Threads.</b> Keeps only the immutable size; any number of threads, as far as the subclass
 * allows.
 */
public abstract class InProcessDiskHandle implements Handle {
    private final long size;

    protected InProcessDiskHandle(long size) {
        this.size = size;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public boolean canMultiConn() {
        return true;
    }

    @Override
    public CacheMode canCache() {
        return CacheMode.NATIVE;
    }

    @Override
    public void cache(long length, long offset, int flags) {}
}
