package io.nbd4j.plugins.file;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares one {@link DiskFile} among all connections that open the same inode with the same access, so
 * that they use one channel and a flush on any of them is a flush of the file, which is what lets the
 * plugins advertise multi-conn. Entries are reference counted and closed with their last user.
 * Read-only and read-write connections to one file hold two entries (two descriptors of one inode);
 * that keeps multi-conn true because Linux {@code fdatasync} writes back the inode's dirty pages
 * whichever descriptor wrote them, and all descriptors see one page cache.
 *
 * <p>Threads: every method is safe from any thread; the map is guarded by this object's monitor, and
 * files are opened outside it so a slow open never blocks other connections.
 */
public final class SharedDiskFiles {
    /** How to open a file; called outside the lock. */
    @FunctionalInterface
    public interface Opener {
        DiskFile open() throws IOException;
    }

    private static final class Entry {
        final DiskFile file;
        int users = 1;

        Entry(DiskFile file) {
            this.file = file;
        }
    }

    private final Map<Object, Entry> open = new HashMap<>();

    /**
     * Opens a file and returns the shared instance for its inode: the fresh one if it is the first, else
     * the existing one (the fresh descriptor is closed). Pair every call with {@link #release}.
     */
    public DiskFile acquire(Opener opener) throws IOException {
        DiskFile fresh = opener.open();
        synchronized (this) {
            Entry existing = open.get(fresh.identity());
            if (existing == null) {
                open.put(fresh.identity(), new Entry(fresh));
                return fresh;
            }
            existing.users++;
            fresh.close();
            return existing.file;
        }
    }

    /** Gives back a file from {@link #acquire}; the last user closes it. */
    public void release(DiskFile file) {
        synchronized (this) {
            Entry e = open.get(file.identity());
            if (e == null || e.file != file || --e.users > 0) {
                return;
            }
            open.remove(file.identity());
        }
        file.close();
    }

    /** How many distinct files are open, for tests. */
    synchronized int openCount() {
        return open.size();
    }
}
