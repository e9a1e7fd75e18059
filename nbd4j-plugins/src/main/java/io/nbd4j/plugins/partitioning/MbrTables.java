package io.nbd4j.plugins.partitioning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes the MBR of a layout, and its EBRs when there are more than four files: then the first three
 * files are primary partitions, the fourth entry is an extended partition (type 0x0f) from the first
 * EBR to the end of the disk, and each further file is a logical partition behind its EBR. An EBR's
 * first entry locates its partition relative to the EBR; its second links to the next EBR relative to
 * the extended partition, covering that EBR and its partition. The first file is marked bootable.
 * CHS fields hold the "too large" marker, as for any disk over 8 GB; tools use the LBA fields.
 *
 * <p>Stateless; runs once at start.
 */
final class MbrTables {
    private static final int TABLE = 0x1be;
    private static final int ENTRY = 16;
    private static final int EXTENDED_LBA = 0x0f;

    private MbrTables() {}

    static void write(DiskLayout layout, List<PartitionFile> files) {
        ByteBuffer mbr = sector(layout.region(0).data());
        if (files.size() <= 4) {
            for (int i = 0; i < files.size(); i++) {
                Region r = layout.fileRegion(i);
                entry(mbr, i, i == 0, files.get(i).mbrType(), r.start(), r.length());
            }
            return;
        }
        for (int i = 0; i < 3; i++) {
            Region r = layout.fileRegion(i);
            entry(mbr, i, i == 0, files.get(i).mbrType(), r.start(), r.length());
        }
        List<Region> ebrs = layout.extendedBootRecords();
        Region first = ebrs.getFirst();
        entry(mbr, 3, false, EXTENDED_LBA, first.start(), layout.size() - first.start());
        for (int i = 3; i < files.size(); i++) {
            Region ebr = ebrs.get(i - 3);
            Region partition = layout.fileRegion(i);
            ByteBuffer sector = sector(ebr.data());
            entry(sector, 0, false, files.get(i).mbrType(), partition.start() - ebr.start(), partition.length());
            if (i + 1 < files.size()) {
                Region nextEbr = ebrs.get(i - 2);
                Region nextPartition = layout.fileRegion(i + 1);
                entry(sector, 1, false, EXTENDED_LBA, nextEbr.start() - first.start(), nextPartition.end() - nextEbr.start());
            }
        }
    }

    /** The boot signature, and a little-endian view of the sector. */
    private static ByteBuffer sector(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);
        return b;
    }

    /** Entry {@code index}: {@code start} and {@code length} in bytes, a whole sector count rounded up. */
    static void entry(ByteBuffer sector, int index, boolean bootable, int type, long start, long length) {
        int at = TABLE + index * ENTRY;
        sector.put(at, (byte) (bootable ? 0x80 : 0));
        chsTooLarge(sector, at + 1);
        sector.put(at + 4, (byte) type);
        chsTooLarge(sector, at + 5);
        sector.putInt(at + 8, (int) (start / DiskLayout.SECTOR));
        sector.putInt(at + 12, (int) ((length + DiskLayout.SECTOR - 1) / DiskLayout.SECTOR));
    }

    /** Cylinder 1023, head 254, sector 63: the CHS address that says "use the LBA fields". */
    private static void chsTooLarge(ByteBuffer sector, int at) {
        int cylinder = 1023;
        sector.put(at, (byte) 254);
        sector.put(at + 1, (byte) (((cylinder & 0x300) >> 2) | 63));
        sector.put(at + 2, (byte) (cylinder & 0xff));
    }
}
