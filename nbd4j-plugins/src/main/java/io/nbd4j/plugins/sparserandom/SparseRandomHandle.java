package io.nbd4j.plugins.sparserandom;

import io.nbd4j.plugins.common.InProcessDiskHandle;
import io.nbd4j.plugins.memory.Zeroes;
import io.nbd4j.spi.DataRuns;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * The sparse-random disk for one connection. Reads compute data runs and zero-fill holes. A write
 * succeeds only if it stores exactly what is there (so a copy of the disk onto itself succeeds);
 * trim and zero succeed only inside holes, which already read as zeroes; everything else fails with
 * EIO. Flush and FUA have nothing to do. Immutable; any number of threads.
 */
final class SparseRandomHandle extends InProcessDiskHandle {
    private final DataRuns layout;
    private final BlockContent content;

    SparseRandomHandle(long size, DataRuns layout, BlockContent content) {
        super(size);
        this.layout = layout;
        this.content = content;
    }

    @Override public boolean canWrite() { return true; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean canTrim() { return true; }
    @Override public boolean canZero() { return true; }
    @Override public boolean canFastZero() { return false; }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public boolean canExtents() { return true; }

    @Override
    public void flush(int flags) {}

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        int index = buffer.position();
        int end = buffer.limit();
        int run = layout.runAfter(offset);
        while (index < end) {
            int n;
            if (run < layout.count() && layout.start(run) <= offset) {
                n = (int) Math.min(end - index, layout.end(run) - offset);
                content.fill(buffer, index, offset, n);
                run++;
            } else {
                long holeEnd = run < layout.count() ? layout.start(run) : Long.MAX_VALUE;
                n = (int) Math.min(end - index, holeEnd - offset);
                Zeroes.fill(buffer, index, n);
            }
            index += n;
            offset += n;
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        int index = buffer.position();
        int end = buffer.limit();
        int run = layout.runAfter(offset);
        while (index < end) {
            int n;
            boolean same;
            if (run < layout.count() && layout.start(run) <= offset) {
                n = (int) Math.min(end - index, layout.end(run) - offset);
                same = content.matches(buffer, index, offset, n);
                run++;
            } else {
                long holeEnd = run < layout.count() ? layout.start(run) : Long.MAX_VALUE;
                n = (int) Math.min(end - index, holeEnd - offset);
                same = isZero(buffer, index, n);
            }
            if (!same) {
                throw new NbdException(NbdError.EIO, "sparse-random: data written does not match the disk");
            }
            index += n;
            offset += n;
        }
    }

    private static boolean isZero(ByteBuffer buffer, int index, int length) {
        int end = index + length;
        for (; end - index >= 8; index += 8) {
            if (buffer.getLong(index) != 0) {
                return false;
            }
        }
        for (; index < end; index++) {
            if (buffer.get(index) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void trim(long length, long offset, int flags) throws NbdException {
        zero(length, offset, flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws NbdException {
        if (!layout.isHole(offset, length)) {
            throw new NbdException(NbdError.EIO, "sparse-random: cannot trim or zero data, only holes");
        }
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        layout.extents(length, offset, Flags.has(flags, Flags.REQ_ONE), extents);
    }
}
