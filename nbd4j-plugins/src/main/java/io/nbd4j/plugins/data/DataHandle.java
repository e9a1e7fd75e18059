package io.nbd4j.plugins.data;

import io.nbd4j.plugins.memory.ExtentRuns;
import io.nbd4j.plugins.memory.PageTable;
import io.nbd4j.plugins.memory.PageTableHandle;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connection's view of the data plugin's disk: the memory plugin's handle on the shared
 * {@link PageTable}, except that extents are reported in 32 KiB blocks, the page of nbdkit's sparse
 * allocator, with its three answers: a block nothing was ever written to is a hole, a written block
 * holding only zeroes is zero but allocated, anything else is data. Clients that map small data disks
 * (qemu-img map) then see what they see with nbdkit.
 *
 * <p><b>Threads.</b> Stateless apart from the shared table; any number of threads at once.
 */
final class DataHandle extends PageTableHandle {
    static final int BLOCK = 32 * 1024;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    DataHandle(PageTable table, long size) {
        super(table, size);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        long end = offset + length;
        ExtentRuns runs = new ExtentRuns(extents, Flags.has(flags, Flags.REQ_ONE));
        byte[] block = new byte[BLOCK];
        long pos = offset;
        for (long[] written : writtenBlocks(offset, end)) {
            if (written[0] > pos && !runs.add(pos, written[0], Extents.HOLE | Extents.ZERO)) {
                return;
            }
            for (long b = Math.max(written[0], pos - pos % BLOCK); b < written[1]; b += BLOCK) {
                int type = isZero(b, (int) (Math.min(b + BLOCK, size()) - b), block) ? Extents.ZERO : Extents.DATA;
                if (!runs.add(Math.max(b, offset), Math.min(b + BLOCK, end), type)) {
                    return;
                }
            }
            pos = Math.min(written[1], end);
        }
        if (pos < end && !runs.add(pos, end, Extents.HOLE | Extents.ZERO)) {
            return;
        }
        runs.finish();
    }

    /** The block-aligned ranges, clipped to the disk, that hold at least one written page, in order. */
    private List<long[]> writtenBlocks(long offset, long end) throws NbdException {
        long first = offset - offset % BLOCK;
        long last = Math.min(Math.ceilDiv(end, BLOCK) * BLOCK, size());
        List<long[]> ranges = new ArrayList<>();
        table().extents(last - first, first, false, (o, l, type) -> {
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
        table().read(ByteBuffer.wrap(scratch, 0, length), blockStart);
        return Arrays.equals(scratch, 0, length, ZERO_BLOCK, 0, length);
    }
}
