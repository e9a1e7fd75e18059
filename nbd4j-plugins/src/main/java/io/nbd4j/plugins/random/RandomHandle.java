package io.nbd4j.plugins.random;

import io.nbd4j.plugins.common.InProcessDiskHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * The random disk for one connection: reads compute the bytes; a write succeeds only if it stores
 * exactly what is there already (so a copy from the disk onto itself succeeds and any other write
 * fails with EIO); trim and zero always fail with EIO, since the disk holds no zeroes to keep.
 * Immutable; any number of threads.
 */
final class RandomHandle extends InProcessDiskHandle {
    private final RandomBytes bytes;

    RandomHandle(long size, RandomBytes bytes) {
        super(size);
        this.bytes = bytes;
    }

    @Override
    public boolean canWrite() {
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
    public void pread(ByteBuffer buffer, long offset, int flags) {
        bytes.fill(buffer, offset);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        if (!bytes.matches(buffer, offset)) {
            throw new NbdException(NbdError.EIO, "random: data written does not match the disk");
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws NbdException {
        zero(length, offset, flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws NbdException {
        throw new NbdException(NbdError.EIO, "random: cannot trim or zero a disk of random data");
    }
}
