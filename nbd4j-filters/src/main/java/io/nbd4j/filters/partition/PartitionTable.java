package io.nbd4j.filters.partition;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Finds a partition on a disk: reads the first two sectors, decides between GPT (an {@code EFI PART}
 * header in sector 1) and MBR (the 0x55 0xAA boot signature), and asks the matching reader. The result
 * is checked to lie inside the disk. Every failure is an {@code EINVAL} naming what is wrong.
 *
 * <p>Stateless.
 */
final class PartitionTable {
    static final int SECTOR = 512;
    /** A GPT needs the protective MBR, two headers and two tables of at least 16 KiB: 34 sectors each side. */
    private static final long SMALLEST_GPT_DISK = 2 * 34 * SECTOR;

    private PartitionTable() {}

    static Partition find(Handle disk, int number) throws IOException {
        long size = disk.size();
        if (size < 2 * SECTOR) {
            throw invalid("the disk is too small to be a partitioned disk (" + size + " bytes)");
        }
        ByteBuffer first = read(disk, 0, 2 * SECTOR);
        Partition found;
        if (size >= SMALLEST_GPT_DISK && isGptHeader(first.slice(SECTOR, SECTOR))) {
            found = GptTable.find(disk, size, first.slice(SECTOR, SECTOR).order(ByteOrder.LITTLE_ENDIAN), number);
        } else if ((first.get(0x1fe) & 0xff) == 0x55 && (first.get(0x1ff) & 0xff) == 0xaa) {
            found = MbrTable.find(disk, size, first.slice(0, SECTOR).order(ByteOrder.LITTLE_ENDIAN), number);
        } else {
            throw invalid("the disk has no MBR or GPT partition table signature");
        }
        if (found.offset() < 0 || found.length() < 0 || found.offset() > size - found.length()) {
            throw invalid("partition " + number + " (" + found.length() + " bytes at " + found.offset()
                    + ") lies outside the disk (" + size + " bytes)");
        }
        return found;
    }

    private static boolean isGptHeader(ByteBuffer sector) {
        byte[] signature = new byte[8];
        sector.get(0, signature);
        return new String(signature, StandardCharsets.US_ASCII).equals("EFI PART");
    }

    /** {@code length} bytes at {@code offset}, little-endian, position 0. */
    static ByteBuffer read(Handle disk, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        disk.pread(buffer, offset, 0);
        return buffer.clear();
    }

    static NbdException invalid(String message) {
        return new NbdException(NbdError.EINVAL, "partition: " + message);
    }
}
