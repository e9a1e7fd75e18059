package io.nbd4j.plugins.memory;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * The first level of the page table: a sorted, copy-on-write array of the regions that exist, keyed
 * by region number. Only written regions appear, so a 1 TiB or 2^63-byte disk costs nothing until
 * written, and a lookup is a binary search over an immutable snapshot.
 *
 * <p><b>Threads.</b> {@link #find} and {@link #snapshot} are lock-free and allocate nothing. Creating a
 * region takes this object's monitor; that happens once per region (every 64 MiB of written disk), so
 * the lock is never on the path of a write to an existing region.
 */
final class RegionDirectory {
    /** An immutable view: {@code keys[i]} is the number of {@code regions[i]}, ascending. */
    record Snapshot(long[] keys, Region[] regions) {
        Region find(long key) {
            int i = Arrays.binarySearch(keys, key);
            return i >= 0 ? regions[i] : null;
        }

        /** The index of the first region numbered {@code key} or more. */
        int firstAtOrAfter(long key) {
            int i = Arrays.binarySearch(keys, key);
            return i >= 0 ? i : -i - 1;
        }

        int size() {
            return keys.length;
        }
    }

    private volatile Snapshot current = new Snapshot(new long[0], new Region[0]);

    Snapshot snapshot() {
        return current;
    }

    Region find(long key) {
        return current.find(key);
    }

    /** The region numbered {@code key}, made with {@code factory} if it does not exist yet. */
    Region getOrCreate(long key, LongFunction<Region> factory) {
        Region region = current.find(key);
        return region != null ? region : create(key, factory);
    }

    private synchronized Region create(long key, LongFunction<Region> factory) {
        Snapshot s = current;
        int i = Arrays.binarySearch(s.keys, key);
        if (i >= 0) {
            return s.regions[i];
        }
        int at = -i - 1;
        Region region = factory.apply(key);
        long[] keys = new long[s.keys.length + 1];
        Region[] regions = new Region[keys.length];
        System.arraycopy(s.keys, 0, keys, 0, at);
        System.arraycopy(s.regions, 0, regions, 0, at);
        keys[at] = key;
        regions[at] = region;
        System.arraycopy(s.keys, at, keys, at + 1, s.keys.length - at);
        System.arraycopy(s.regions, at, regions, at + 1, s.regions.length - at);
        current = new Snapshot(keys, regions);
        return region;
    }
}
