package io.nbd4j.plugins.file;

import io.nbd4j.plugins.file.linux.ErrnoException;
import io.nbd4j.plugins.file.linux.Linux;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code cache=none} for writes. Dropping a range from the page cache right after writing it does
 * nothing, because the pages are still dirty. So each written range starts its write-back at once and
 * joins a short queue; when it falls off the end of the queue, some writes later, it is waited for
 * (usually long finished) and then dropped. The page cache thus holds only the last few writes.
 *
 * <p>Threads: any thread; the queue is guarded by a lock held only to swap one slot, never across a
 * system call.
 */
final class WriteEviction {
    private static final Logger LOG = LoggerFactory.getLogger(WriteEviction.class);
    private static final int QUEUE_LENGTH = 8;

    private final int fd;
    private final String name;
    private final long[] offsets = new long[QUEUE_LENGTH];
    private final long[] lengths = new long[QUEUE_LENGTH];
    private int next;
    private final ReentrantLock lock = new ReentrantLock();

    WriteEviction(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Records a completed write of {@code [offset, offset + length)}; may evict an older one. */
    void written(long offset, long length) {
        try {
            Linux.syncFileRange(fd, offset, length, Linux.SYNC_FILE_RANGE_WRITE);
            long oldOffset;
            long oldLength;
            lock.lock();
            try {
                oldOffset = offsets[next];
                oldLength = lengths[next];
                offsets[next] = offset;
                lengths[next] = length;
                next = (next + 1) % QUEUE_LENGTH;
            } finally {
                lock.unlock();
            }
            if (oldLength > 0) {
                Linux.syncFileRange(fd, oldOffset, oldLength, Linux.SYNC_FILE_RANGE_WAIT_BEFORE
                        | Linux.SYNC_FILE_RANGE_WRITE | Linux.SYNC_FILE_RANGE_WAIT_AFTER);
                Linux.fadvise(fd, oldOffset, oldLength, Linux.POSIX_FADV_DONTNEED);
            }
        } catch (ErrnoException e) {
            // Only a cache hint: the data is written either way.
            LOG.debug("{}: cache=none eviction failed: {}", name, e.getMessage());
        }
    }
}
