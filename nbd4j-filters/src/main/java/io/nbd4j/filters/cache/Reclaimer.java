package io.nbd4j.filters.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drops blocks from a size-limited cache. Callers reclaim after each block they handle; while the
 * {@link Residency} says so (from the high threshold until below the low one), a call drops up to two
 * blocks, so a cache over its limit loses a block for each it gains (nbdkit's pace).
 *
 * <p>A clean block is dropped at once. A dirty one only if the caller's {@link DirtyBlocks} allows: it is
 * written back through the caller's connection and marked clean, the write-backs are published (a flush),
 * and only then is it dropped, unless it was written again meanwhile. Otherwise it stays for the next
 * flush and the clock moves on; a call looks at a few blocks at most, so a cache full of dirty blocks costs
 * each request little. A failed write-back or publish leaves the block in the cache (dirty, or clean with
 * its bytes below not yet flushed) and is logged; the next client flush writes back and flushes again,
 * and reports any failure to the client.
 *
 * <p><b>Threads.</b> One reclaim at a time, under this object's lock; it takes one block lock at a time
 * inside it, and nobody takes it while holding a block lock.
 */
final class Reclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(Reclaimer.class);
    private static final int DROPS_PER_CALL = 2;
    private static final int LOOKS_PER_CALL = 8;

    private enum Outcome { DROPPED, WRITTEN_BACK, KEPT, FAILED }

    private final BlockCache cache;
    private final Residency residency;
    private final ReentrantLock lock = new ReentrantLock();

    Reclaimer(BlockCache cache, Residency residency) {
        this.cache = cache;
        this.residency = residency;
    }

    void reclaim(DirtyBlocks dirty) {
        lock.lock();
        try {
            List<Integer> writtenBack = new ArrayList<>(DROPS_PER_CALL);
            int dropped = 0;
            for (int looks = 0; looks < LOOKS_PER_CALL && dropped + writtenBack.size() < DROPS_PER_CALL
                    && residency.reclaiming(); looks++) {
                int victim = residency.victim();
                if (victim < 0) {
                    break;
                }
                Outcome outcome = takeOut(victim, dirty);
                if (outcome == Outcome.DROPPED) {
                    dropped++;
                } else if (outcome == Outcome.WRITTEN_BACK) {
                    writtenBack.add(victim);
                } else {
                    residency.keep(victim);
                    if (outcome == Outcome.FAILED) {
                        break;
                    }
                }
            }
            if (!writtenBack.isEmpty()) {
                dropOncePublished(writtenBack, dirty);
            }
        } finally {
            lock.unlock();
        }
    }

    private Outcome takeOut(int block, DirtyBlocks dirty) {
        ReentrantLock blockLock = cache.lock(block);
        blockLock.lock();
        try {
            if (!cache.isDirty(block)) {
                drop(block);
                return Outcome.DROPPED;
            }
            if (!dirty.mayDrop()) {
                return Outcome.KEPT;
            }
            dirty.writeBack(cache.contents(block), cache.start(block));
            cache.setState(block, BlockCache.CLEAN);
            return Outcome.WRITTEN_BACK;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cache: writing back block {} to drop it failed; it stays in the cache: {}", block, e.toString());
            return Outcome.FAILED;
        } finally {
            blockLock.unlock();
        }
    }

    private void dropOncePublished(List<Integer> blocks, DirtyBlocks dirty) {
        try {
            dirty.publish();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cache: flushing blocks written back to drop them failed; they stay in the cache: {}", e.toString());
            blocks.forEach(residency::keep);
            return;
        }
        for (int block : blocks) {
            ReentrantLock blockLock = cache.lock(block);
            blockLock.lock();
            try {
                if (cache.isDirty(block)) {
                    residency.keep(block);
                } else {
                    drop(block);
                }
            } finally {
                blockLock.unlock();
            }
        }
    }

    /** Block lock held. */
    private void drop(int block) {
        cache.setState(block, BlockCache.ABSENT);
        residency.released(block);
    }
}
