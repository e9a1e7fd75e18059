package io.nbd4j.plugins.partitioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where everything lies on the virtual disk, computed once at start: the partition table at the start
 * (for GPT also its backup at the end), each file aligned as asked and padded to a whole sector, and
 * for an MBR disk with more than four files an EBR in front of each logical partition. The table
 * bytes are filled in afterwards by {@link MbrTables} or {@link GptTables}, in place.
 *
 * <p>Immutable once built (the table arrays are written before any connection); safe from any thread.
 */
final class DiskLayout {
    static final int SECTOR = 512;
    static final int GPT_ENTRY = 128;
    /** The UEFI minimum number of GPT entries; more files grow the table in steps of this many. */
    static final int GPT_MIN_ENTRIES = 128;

    private final List<Region> regions;
    private final long[] starts;

    private DiskLayout(List<Region> regions) {
        this.regions = List.copyOf(regions);
        this.starts = regions.stream().mapToLong(Region::start).toArray();
    }

    /** The number of GPT entries for {@code files} partitions. */
    static int gptEntries(int files) {
        return (files + GPT_MIN_ENTRIES - 1) / GPT_MIN_ENTRIES * GPT_MIN_ENTRIES;
    }

    /** Sectors taken by one copy of the GPT entries. */
    static int gptEntrySectors(int files) {
        return gptEntries(files) * GPT_ENTRY / SECTOR;
    }

    static DiskLayout mbr(List<PartitionFile> files) {
        List<Region> regions = new ArrayList<>();
        regions.add(Region.data(0, new byte[SECTOR]));
        boolean logical = files.size() > 4;
        for (int i = 0; i < files.size(); i++) {
            if (logical && i >= 3) {
                regions.add(Region.data(end(regions), new byte[SECTOR]));
            }
            addFile(regions, files.get(i), i);
        }
        return new DiskLayout(regions);
    }

    static DiskLayout gpt(List<PartitionFile> files) {
        int tableSectors = gptEntrySectors(files.size());
        List<Region> regions = new ArrayList<>();
        regions.add(Region.data(0, new byte[(2 + tableSectors) * SECTOR]));
        for (int i = 0; i < files.size(); i++) {
            addFile(regions, files.get(i), i);
        }
        regions.add(Region.data(end(regions), new byte[(tableSectors + 1) * SECTOR]));
        return new DiskLayout(regions);
    }

    private static long end(List<Region> regions) {
        return regions.getLast().end();
    }

    /** Padding up to the file's alignment, the file, and padding to the next whole sector. */
    private static void addFile(List<Region> regions, PartitionFile file, int index) {
        long at = end(regions);
        long aligned = (at + file.alignment() - 1) / file.alignment() * file.alignment();
        if (aligned > at) {
            regions.add(Region.padding(at, aligned));
        }
        regions.add(Region.file(aligned, file.size(), index));
        long fileEnd = aligned + file.size();
        long sectorEnd = (fileEnd + SECTOR - 1) / SECTOR * SECTOR;
        if (sectorEnd > fileEnd) {
            regions.add(Region.padding(fileEnd, sectorEnd));
        }
    }

    List<Region> regions() {
        return regions;
    }

    long size() {
        return regions.getLast().end();
    }

    /** The index of the region holding {@code offset} (which must lie on the disk). */
    int indexAt(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    Region region(int index) {
        return regions.get(index);
    }

    /** The region of file {@code index}. */
    Region fileRegion(int index) {
        return regions.stream().filter(r -> r.file() == index).findFirst().orElseThrow();
    }

    /** The EBRs, in order (MBR with more than four files only). */
    List<Region> extendedBootRecords() {
        return regions.stream().filter(r -> r.isData() && r.start() > 0).toList();
    }
}
