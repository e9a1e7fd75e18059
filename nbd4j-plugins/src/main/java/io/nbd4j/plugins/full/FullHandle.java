package io.nbd4j.plugins.full;

import io.nbd4j.plugins.memory.Zeroes;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * Reads are zeroes; pwrite, trim and zero fail with {@link NbdError#ENOSPC}; flush succeeds because
 * nothing was ever written. Writes are still advertised so that clients meet the error, not a
 * read-only export. Stateless; any number of threads.
 */
final class FullHandle implements Handle {
    private final long size;

    FullHandle(long size) {
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

    /** Zero fails at once with ENOSPC, never slower than a write would. */
    @Override
    public boolean canFastZero() {
        return true;
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
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        throw noSpace("write");
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void trim(long length, long offset, int flags) throws NbdException {
        throw noSpace("trim");
    }

    @Override
    public void zero(long length, long offset, int flags) throws NbdException {
        throw noSpace("zero");
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        extents.add(offset, length, Extents.HOLE | Extents.ZERO);
    }

    @Override
    public void cache(long length, long offset, int flags) {}

    private static NbdException noSpace(String operation) {
        return new NbdException(NbdError.ENOSPC, "full: " + operation + " refused: no space left on device");
    }
}
