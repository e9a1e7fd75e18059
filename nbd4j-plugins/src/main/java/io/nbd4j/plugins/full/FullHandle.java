package io.nbd4j.plugins.full;

import io.nbd4j.plugins.common.WritableInProcessDiskHandle;
import io.nbd4j.plugins.memory.Zeroes;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * Reads are zeroes; pwrite, trim and zero fail with {@link NbdError#ENOSPC}; flush succeeds because
 * nothing was ever written. Writes are still advertised so that clients meet the error, not a
 * read-only export. Stateless; any number of threads.
 */
final class FullHandle extends WritableInProcessDiskHandle {
    FullHandle(long size) {
        super(size);
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
    public void trim(long length, long offset, int flags) throws NbdException {
        throw noSpace("trim");
    }

    /** Fails at once with ENOSPC, so it is never slower than a write would be: fast zero holds. */
    @Override
    public void zero(long length, long offset, int flags) throws NbdException {
        throw noSpace("zero");
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        extents.add(offset, length, Extents.HOLE | Extents.ZERO);
    }

    private static NbdException noSpace(String operation) {
        return new NbdException(NbdError.ENOSPC, "full: " + operation + " refused: no space left on device");
    }
}
