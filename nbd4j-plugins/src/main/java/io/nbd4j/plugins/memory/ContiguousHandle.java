package io.nbd4j.plugins.memory;

import io.nbd4j.plugins.common.WritableInProcessDiskHandle;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * A connection's view of the memory plugin's {@link ContiguousMemory} ({@code allocator=malloc}).
 * As durable as memory gets the moment a write returns, so FUA is native and flush a no-op; every
 * byte is allocated, so extents report one run of data, as nbdkit's malloc allocator does.
 *
 * <p><b>Threads.</b> Stateless apart from the shared memory; any number of threads at once.
 */
final class ContiguousHandle extends WritableInProcessDiskHandle {
    private final ContiguousMemory memory;

    ContiguousHandle(ContiguousMemory memory, long size) {
        super(size);
        this.memory = memory;
    }

    @Override
    public FuaMode canFua() {
        return FuaMode.NATIVE;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        memory.read(buffer, offset);
    }

    @Override
    public ByteBuffer readView(long offset, int length) {
        return memory.view(offset, length);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) {
        memory.write(buffer, offset);
    }

    @Override
    public void trim(long length, long offset, int flags) {
        memory.zero(length, offset);
    }

    @Override
    public void zero(long length, long offset, int flags) {
        memory.zero(length, offset);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        extents.add(offset, length, Extents.DATA);
    }
}
