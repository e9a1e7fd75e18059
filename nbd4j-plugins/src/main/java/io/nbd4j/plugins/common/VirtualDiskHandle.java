package io.nbd4j.plugins.common;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's read-only view of a {@link VirtualDisk}: the same bytes for every client, extents from
 * the disk's layout.
 *
 * <p>Threads: no state of its own; the disk allows concurrent reads.
 */
public final class VirtualDiskHandle extends InProcessDiskHandle {
    private final VirtualDisk disk;

    public VirtualDiskHandle(VirtualDisk disk) {
        super(disk.size());
        this.disk = disk;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        disk.read(buffer, offset);
    }

    @Override
    public boolean canExtents() {
        return true;
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        disk.extents(offset, length, Flags.has(flags, Flags.REQ_ONE), extents);
    }
}
