package io.nbd4j.plugins.floppy;

import io.nbd4j.plugins.common.VirtualDisk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The file allocation table, computed entry by entry when read instead of held in memory (a large
 * floppy's FAT runs to hundreds of megabytes). Every directory and file lies in consecutive clusters,
 * so an entry inside a chain points at the next cluster, the last one of a chain is the end-of-chain
 * mark, and every entry past the allocated clusters is 0 (free). Entries 0 and 1 hold the media byte
 * and the end mark, as FAT wants.
 *
 * <p>Threads: immutable; reads from any number of threads.
 */
final class FatTable implements VirtualDisk.Content {
    private static final int END_OF_CHAIN = 0x0FFF_FFFF;
    private static final int MEDIA_ENTRY = 0x0FFF_FFF8;

    /** First cluster of each chain, ascending; chain i ends where chain i + 1 starts. */
    private final long[] chainStarts;
    /** One past the last allocated cluster. */
    private final long allocatedEnd;

    /**
     * @param chainStarts  the first cluster of each chain, ascending, chains back to back from 2
     * @param allocatedEnd one past the last cluster of the last chain
     */
    FatTable(long[] chainStarts, long allocatedEnd) {
        this.chainStarts = chainStarts.clone();
        this.allocatedEnd = allocatedEnd;
    }

    /** The value of entry {@code cluster}. */
    int entry(long cluster) {
        if (cluster == 0) {
            return MEDIA_ENTRY;
        }
        if (cluster == 1) {
            return END_OF_CHAIN;
        }
        if (cluster >= allocatedEnd) {
            return 0;
        }
        int i = Arrays.binarySearch(chainStarts, cluster + 1);
        boolean lastOfChain = i >= 0 || cluster + 1 == allocatedEnd;
        return lastOfChain ? END_OF_CHAIN : (int) (cluster + 1);
    }

    @Override
    public void read(ByteBuffer into, long offset) {
        ByteBuffer out = into.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long cluster = offset / 4;
        int skip = (int) (offset % 4);
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        while (out.hasRemaining()) {
            if (skip == 0 && out.remaining() >= 4) {
                out.putInt(entry(cluster));
            } else {
                one.putInt(0, entry(cluster));
                int n = Math.min(4 - skip, out.remaining());
                out.put(one.array(), skip, n);
                skip = 0;
            }
            cluster++;
        }
    }
}
