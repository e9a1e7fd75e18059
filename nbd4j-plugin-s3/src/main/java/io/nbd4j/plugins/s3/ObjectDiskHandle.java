package io.nbd4j.plugins.s3;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's view of an {@link ObjectDisk}. Every connection shares the disk, and each write is
 * in the store before it is acknowledged, so flush is a no-op, FUA is native and multi-conn is safe.
 *
 * <p>Threads: as many request threads at once as the server sends; the handle itself holds no state.
 */
final class ObjectDiskHandle implements Handle {
    private final ObjectDisk disk;
    private final boolean readOnly;

    ObjectDiskHandle(ObjectDisk disk, boolean readOnly) {
        this.disk = disk;
        this.readOnly = readOnly;
    }

    @Override public long size() { return disk.layout().diskSize(); }
    @Override public boolean canWrite() { return !readOnly; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean canTrim() { return true; }
    @Override public boolean canZero() { return true; }
    @Override public boolean canFastZero() { return true; }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public boolean canExtents() { return true; }
    @Override public boolean canMultiConn() { return true; }

    @Override
    public BlockSize blockSize() {
        // Any alignment works (partial objects are read, changed and written back), but whole objects are
        // one request each instead of two.
        long preferred = Math.clamp(Long.highestOneBit(disk.layout().objectSize()), 512, 32L << 20);
        return new BlockSize(1, preferred, BlockSize.NO_MAXIMUM);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        disk.read(buffer, offset);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        checkWritable();
        disk.write(buffer, offset);
    }

    @Override
    public void flush(int flags) {
        // Every acknowledged write is already in the store.
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        checkWritable();
        disk.zero(length, offset);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        checkWritable();
        disk.zero(length, offset);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        disk.extents(length, offset, extents);
    }

    private void checkWritable() throws NbdException {
        if (readOnly) {
            throw new NbdException(NbdError.EPERM, "s3: this connection is read-only");
        }
    }
}
