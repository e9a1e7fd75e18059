package io.nbd4j.filters.partition;

import io.nbd4j.spi.Handle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a partition from an MBR (DOS) partition table. Partitions 1 to 4 are the primary entries; an
 * extended entry (type 0x05, 0x0f or 0x85) is not itself a partition that can be served. Partitions 5
 * and up are the logical partitions of the extended one, found by walking its chain of extended boot
 * records: each EBR's first entry is its logical partition (relative to the EBR), its second links to
 * the next EBR (relative to the extended partition). A chain must move strictly forward inside the
 * disk, so a looping chain ends in an error rather than a hang.
 *
 * <p>Stateless.
 */
final class MbrTable {
    private static final int TABLE = 0x1be;
    private static final int ENTRY = 16;

    private MbrTable() {}

    /** One entry of a partition table: its type byte, first sector and sector count (unsigned). */
    private record Entry(int type, long start, long sectors) {
        static Entry at(ByteBuffer sector, int index) {
            int o = TABLE + index * ENTRY;
            return new Entry(sector.get(o + 4) & 0xff, Integer.toUnsignedLong(sector.getInt(o + 8)),
                    Integer.toUnsignedLong(sector.getInt(o + 12)));
        }

        boolean isExtended() {
            return type == 0x05 || type == 0x0f || type == 0x85;
        }
    }

    static Partition find(Handle disk, long size, ByteBuffer mbr, int number) throws IOException {
        if (number <= 4) {
            Entry e = Entry.at(mbr, number - 1);
            if (e.sectors() > 0 && e.type() != 0 && !e.isExtended()) {
                return new Partition(e.start() * PartitionTable.SECTOR, e.sectors() * PartitionTable.SECTOR);
            }
            throw PartitionTable.invalid("MBR partition " + number + " not found");
        }
        for (int i = 0; i < 4; i++) {
            Entry e = Entry.at(mbr, i);
            if (e.sectors() > 0 && e.isExtended()) {
                return logical(disk, size, e, number);
            }
        }
        throw PartitionTable.invalid("MBR logical partition " + number
                + " selected, but there is no extended partition in the partition table");
    }

    private static Partition logical(Handle disk, long size, Entry extended, int number) throws IOException {
        long extendedStart = extended.start() * PartitionTable.SECTOR;
        long extendedEnd = (extended.start() + extended.sectors()) * PartitionTable.SECTOR;
        long ebr = extendedStart;
        for (int i = 5; ; i++) {
            if (ebr % PartitionTable.SECTOR != 0 || ebr < PartitionTable.SECTOR || ebr >= size - PartitionTable.SECTOR) {
                throw PartitionTable.invalid("invalid EBR chain: an extended boot record lies outside the disk (at " + ebr + ")");
            }
            ByteBuffer sector = PartitionTable.read(disk, ebr, PartitionTable.SECTOR);
            if (i == number) {
                Entry e = Entry.at(sector, 0);
                long offset = ebr + e.start() * PartitionTable.SECTOR;
                long length = e.sectors() * PartitionTable.SECTOR;
                if (offset <= ebr || offset + length > extendedEnd) {
                    throw PartitionTable.invalid("MBR logical partition " + number + " (" + length + " bytes at "
                            + offset + ") lies before its EBR or outside the extended partition");
                }
                return new Partition(offset, length);
            }
            Entry link = Entry.at(sector, 1);
            if (link.start() == 0 && link.sectors() == 0) {
                break;
            }
            long next = extendedStart + link.start() * PartitionTable.SECTOR;
            if (next <= ebr) {
                throw PartitionTable.invalid("invalid EBR chain: the next EBR (" + next + ") does not follow the current one (" + ebr + ")");
            }
            ebr = next;
        }
        throw PartitionTable.invalid("MBR partition " + number + " not found");
    }
}
