package io.nbd4j.plugins.nulldisk;

import io.nbd4j.plugins.common.WritableInProcessDiskHandle;
import io.nbd4j.plugins.memory.Zeroes;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * Every request succeeds at once: writes, trims, zeroes and flushes are discarded, reads are zeroes,
 * and the whole disk is one hole. Nothing is ever stored, so FUA is trivially native and every
 * connection sees the same (empty) disk. Stateless; any number of threads.
 */
final class NullHandle extends WritableInProcessDiskHandle {
    NullHandle(long size) {
        super(size);
    }

    @Override
    public FuaMode canFua() {
        return FuaMode.NATIVE;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        Zeroes.fill(buffer);
    }

    /** Reads of up to 64 KiB are sent from one shared buffer of zeroes, with no copy. */
    @Override
    public ByteBuffer readView(long offset, int length) {
        return Zeroes.view(length);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) {}

    @Override
    public void trim(long length, long offset, int flags) {}

    @Override
    public void zero(long length, long offset, int flags) {}

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        extents.add(offset, length, Extents.HOLE | Extents.ZERO);
    }
}
