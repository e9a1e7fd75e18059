package io.nbd4j.plugins.data;

import io.nbd4j.plugins.common.WritableInProcessDiskHandle;
import io.nbd4j.plugins.memory.PageTable;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connection's view of the data plugin's disk: reads and writes go to the shared {@link PageTable}
 * as for the memory plugin, but extents are reported in 32 KiB blocks, the page of nbdkit's sparse
 * allocator, with its three answers: a block nothing was ever written to is a hole, a written block
 * holding only zeroes is zero but allocated, anything else is data. Clients that map small data disks
 * (qemu-img map) then see what they see with nbdkit.
 *
 * <p><b>Threads.</b> Stateless apart from the shared table; any number of threads at once.
 */
final class DataHandle extends WritableInProcessDiskHandle {
    static final int BLOCK = 32 * 1024;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    private final PageTable table;

    DataHandle(PageTable table, long size) {
        super(size);
        this.table = table;
    }

    @Override
    public FuaMode canFua() {
        return FuaMode.NATIVE;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        table.read(buffer, offset);
    }

    @Override
    public ByteBuffer readView(long offset, int length) {
        return table.view(offset, length);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        table.write(buffer, offset);
    }

    @Override
    public void trim(long length, long offset, int flags) {
        table.zero(length, offset);
    }

    @Override
    public void zero(long length, long offset, int flags) {
        table.zero(length, offset);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        long end = offset + length;
        Runs runs = new Runs(extents, Flags.has(flags, Flags.REQ_ONE));
        byte[] block = new byte[BLOCK];
        long pos = offset;
        for (long[] written : writtenBlocks(offset, end)) {
            if (!runs.add(pos, written[0], Extents.HOLE | Extents.ZERO)) {
                return;
            }
            for (long b = Math.max(written[0], pos - pos % BLOCK); b < written[1]; b += BLOCK) {
                long from = Math.max(b, offset);
                long to = Math.min(b + BLOCK, end);
                if (!runs.add(from, to, isZero(b, (int) (Math.min(b + BLOCK, size()) - b), block) ? Extents.ZERO : Extents.DATA)) {
                    return;
                }
            }
            pos = Math.min(written[1], end);
        }
        if (runs.add(pos, end, Extents.HOLE | Extents.ZERO)) {
            runs.finish();
        }
    }

    /** The block-aligned ranges, clipped to the disk, that hold at least one written page, in order. */
    private List<long[]> writtenBlocks(long offset, long end) throws NbdException {
        long first = offset - offset % BLOCK;
        long last = Math.min(Math.ceilDiv(end, BLOCK) * BLOCK, size());
        List<long[]> ranges = new ArrayList<>();
        table.extents(last - first, first, false, (o, l, type) -> {
            if ((type & Extents.HOLE) != 0) {
                return;
            }
            long from = o - o % BLOCK;
            long to = Math.min(Math.ceilDiv(o + l, BLOCK) * BLOCK, size());
            if (!ranges.isEmpty() && ranges.getLast()[1] >= from) {
                ranges.getLast()[1] = Math.max(ranges.getLast()[1], to);
            } else {
                ranges.add(new long[] {from, to});
            }
        });
        return ranges;
    }

    private boolean isZero(long blockStart, int length, byte[] scratch) {
        table.read(ByteBuffer.wrap(scratch, 0, length), blockStart);
        return Arrays.equals(scratch, 0, length, ZERO_BLOCK, 0, length);
    }

    /** Merges neighbouring runs of one type, and stops after the first extent when only one was asked for. */
    private static final class Runs {
        private final Extents sink;
        private final boolean onlyOne;
        private long start = -1;
        private long end;
        private int type;

        Runs(Extents sink, boolean onlyOne) {
            this.sink = sink;
            this.onlyOne = onlyOne;
        }

        /** Adds {@code [from, to)}; false once the caller should stop. */
        boolean add(long from, long to, int runType) throws NbdException {
            if (from >= to) {
                return true;
            }
            if (start >= 0 && runType == type && from == end) {
                end = to;
                return true;
            }
            if (start >= 0) {
                sink.add(start, end - start, type);
                if (onlyOne) {
                    return false;
                }
            }
            start = from;
            end = to;
            type = runType;
            return true;
        }

        void finish() throws NbdException {
            if (start >= 0) {
                sink.add(start, end - start, type);
            }
        }
    }
}
