package io.nbd4j.plugins.nulldisk;

import io.nbd4j.plugins.memory.Zeroes;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * Every request succeeds at once: writes, trims, zeroes and flushes are discarded, reads are zeroes,
 * and the whole disk is one hole. Nothing is ever stored, so FUA is trivially native and every
 * connection sees the same (empty) disk. Stateless; any number of threads.
 */
final class NullHandle implements Handle {
    private final long size;

    NullHandle(long size) {
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean canWrite() {
        return true;
    }

    @Override
    public boolean canFlush() {
        return true;
    }

    @Override
    public boolean canTrim() {
        return true;
    }

    @Override
    public boolean canZero() {
        return true;
    }

    @Override
    public boolean canFastZero() {
        return true;
    }

    @Override
    public FuaMode canFua() {
        return FuaMode.NATIVE;
    }

    @Override
    public CacheMode canCache() {
        return CacheMode.NATIVE;
    }

    @Override
    public boolean canExtents() {
        return true;
    }

    @Override
    public boolean canMultiConn() {
        return true;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        Zeroes.fill(buffer);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) {}

    @Override
    public void flush(int flags) {}

    @Override
    public void trim(long length, long offset, int flags) {}

    @Override
    public void zero(long length, long offset, int flags) {}

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        extents.add(offset, length, Extents.HOLE | Extents.ZERO);
    }

    @Override
    public void cache(long length, long offset, int flags) {}
}
