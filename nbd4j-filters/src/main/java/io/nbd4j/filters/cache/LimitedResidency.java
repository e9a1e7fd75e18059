package io.nbd4j.filters.cache;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The residency of a cache limited by {@code cache-max-size}.
 *
 * <p>Blocks live in slots of the cache file, and the slot of a dropped block goes to the next block
 * admitted, so the file's allocated size follows the number of blocks held (nbdkit punches holes into a
 * file laid out like the export instead, which the JDK cannot do). Blocks are dropped in the order of a
 * clock (second chance): the block admitted longest ago goes first, unless it was used since the clock last
 * passed it, when it goes round once more. Like nbdkit's, this approximates least recently used.
 *
 * <p><b>Threads.</b> {@code slotOf[b]} is read and written only under block {@code b}'s lock in
 * {@link BlockCache}. The clock, the free slots and the count of blocks held are guarded by this object's
 * monitor, a leaf lock: nothing else is locked while it is held. Use marks are written without a lock; a
 * lost mark only changes which block is dropped. {@code reclaiming} changes only on the reclaiming thread
 * and is volatile for {@link #full}, a hint.
 */
final class LimitedResidency implements Residency {
    private final int blockSize;
    private final long highBlocks;
    private final long lowBlocks;
    private final int[] slotOf;
    private final byte[] used;
    private final ArrayDeque<Integer> clock = new ArrayDeque<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private int nextSlot;
    private volatile int held;
    private volatile boolean reclaiming;

    LimitedResidency(int blocks, int blockSize, CacheLimit limit) {
        this.blockSize = blockSize;
        this.highBlocks = limit.highBlocks(blockSize);
        this.lowBlocks = limit.lowBlocks(blockSize);
        this.slotOf = new int[blocks];
        Arrays.fill(slotOf, -1);
        this.used = new byte[blocks];
    }

    @Override
    public long place(int block) {
        int slot = slotOf[block];
        if (slot < 0) {
            synchronized (this) {
                Integer reused = freeSlots.poll();
                slot = reused != null ? reused : nextSlot++;
                clock.add(block);
                held++;
            }
            slotOf[block] = slot;
        }
        return (long) slot * blockSize;
    }

    @Override
    public void touched(int block) {
        used[block] = 1;
    }

    @Override
    public void released(int block) {
        int slot = slotOf[block];
        if (slot >= 0) {
            slotOf[block] = -1;
            synchronized (this) {
                freeSlots.push(slot);
                held--;
            }
        }
    }

    @Override
    public boolean full() {
        return reclaiming || held >= highBlocks;
    }

    @Override
    public boolean reclaiming() {
        int now = held;
        if (reclaiming && now < lowBlocks) {
            reclaiming = false;
        } else if (!reclaiming && now >= highBlocks) {
            reclaiming = true;
        }
        return reclaiming;
    }

    @Override
    public synchronized int victim() {
        int chances = clock.size();
        while (true) {
            Integer block = clock.poll();
            if (block == null) {
                return -1;
            }
            if (used[block] != 0 && chances-- > 0) {
                used[block] = 0;
                clock.add(block);
                continue;
            }
            return block;
        }
    }

    @Override
    public synchronized void keep(int block) {
        clock.add(block);
    }

    /** How many blocks the cache holds (for tests). */
    int held() {
        return held;
    }

    /** How many slots the cache file has ever had: its allocated size in blocks (for tests). */
    synchronized int slots() {
        return nextSlot;
    }
}
