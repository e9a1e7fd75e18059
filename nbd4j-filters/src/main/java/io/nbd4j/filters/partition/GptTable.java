package io.nbd4j.filters.partition;

import io.nbd4j.spi.Handle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a partition from a GUID partition table: the header (sector 1) says where the entries are, how
 * many and how large; entry N is used when its type GUID is not all zeroes. The header's checksums are
 * not verified, as nbdkit does not either.
 *
 * <p>Stateless.
 */
final class GptTable {
    private static final int MIN_ENTRY_SIZE = 128;

    private GptTable() {}

    static Partition find(Handle disk, long size, ByteBuffer header, int number) throws IOException {
        long entriesLba = header.getLong(72);
        long entries = Integer.toUnsignedLong(header.getInt(80));
        long entrySize = Integer.toUnsignedLong(header.getInt(84));
        if (number > entries) {
            throw PartitionTable.invalid("GPT partition number " + number + " is out of range (the table has " + entries + " entries)");
        }
        if (entrySize < MIN_ENTRY_SIZE) {
            throw PartitionTable.invalid("GPT partition entries are " + entrySize + " bytes, fewer than 128");
        }
        // Both copies of the table and the other GPT sectors must fit, else the header is bogus.
        if (entries > 0 && entrySize > (size - 3L * PartitionTable.SECTOR) / 2 / entries) {
            throw PartitionTable.invalid("the GPT partition table is too large for this disk");
        }
        long at;
        try {
            at = Math.addExact(Math.multiplyExact(entriesLba, PartitionTable.SECTOR), (number - 1) * entrySize);
        } catch (ArithmeticException e) {
            throw PartitionTable.invalid("the GPT header places its entries outside the disk");
        }
        if (entriesLba < 2 || at > size - MIN_ENTRY_SIZE) {
            throw PartitionTable.invalid("the GPT header places its entries outside the disk");
        }
        ByteBuffer entry = PartitionTable.read(disk, at, MIN_ENTRY_SIZE);
        if (entry.getLong(0) == 0 && entry.getLong(8) == 0) {
            throw PartitionTable.invalid("GPT partition " + number + " not found");
        }
        long firstLba = entry.getLong(32);
        long lastLba = entry.getLong(40);
        if (firstLba < 0 || lastLba < firstLba || lastLba >= Long.MAX_VALUE / PartitionTable.SECTOR) {
            throw PartitionTable.invalid("GPT partition " + number + " has bad bounds (LBA " + Long.toUnsignedString(firstLba)
                    + " to " + Long.toUnsignedString(lastLba) + ")");
        }
        return new Partition(firstLba * PartitionTable.SECTOR, (lastLba - firstLba + 1) * PartitionTable.SECTOR);
    }
}
