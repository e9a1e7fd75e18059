package io.nbd4j.plugins.linuxdisk;

import io.nbd4j.plugins.common.MasterBootRecord;
import io.nbd4j.plugins.common.VirtualDisk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A disk with a GUID partition table and one partition around a file system image: the protective
 * MBR in sector 0, the GPT header in sector 1 and its 128 entries in sectors 2–33, the partition from
 * sector 2048 (1 MiB aligned) to the end of the image, then the backup entries and the backup header
 * in the last 33 sectors. The partition has the Linux file system type and the legacy-BIOS-bootable
 * attribute (so the disk can be booted, as nbdkit's can). The checksums are CRC-32, the one
 * {@link CRC32} computes.
 *
 * <p>Threads: stateless; the disk it builds is immutable.
 */
final class GptDisk {
    static final int SECTOR = MasterBootRecord.SECTOR_SIZE;
    static final long PARTITION_START = 2048;
    private static final UUID LINUX_FILESYSTEM = UUID.fromString("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    private static final int ENTRIES = 128;
    private static final int ENTRY_SIZE = 128;
    private static final int TABLE_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;
    private static final int HEADER_SIZE = 92;
    private static final int PROTECTIVE_TYPE = 0xEE;
    private static final long LEGACY_BIOS_BOOTABLE = 1L << 2;

    private GptDisk() {}

    /**
     * The disk around a file system of {@code filesystemSize} bytes (a whole number of sectors) whose
     * bytes {@code filesystem} reads.
     */
    static VirtualDisk build(VirtualDisk.Content filesystem, long filesystemSize, UUID diskGuid, UUID partitionGuid) {
        if (filesystemSize % SECTOR != 0) {
            throw new IllegalArgumentException("file system size " + filesystemSize + " is not a whole number of sectors");
        }
        long fsSectors = filesystemSize / SECTOR;
        long lastSector = PARTITION_START + fsSectors + TABLE_SECTORS;
        byte[] table = table(partitionGuid, PARTITION_START, PARTITION_START + fsSectors - 1);
        long backupTable = lastSector - TABLE_SECTORS;
        return VirtualDisk.builder()
                .bytes(MasterBootRecord.withOnePartition(PROTECTIVE_TYPE, 1,
                        Math.min(lastSector, MasterBootRecord.MAX_SECTORS), false))
                .bytes(header(1, lastSector, 2, lastSector, diskGuid, table))
                .bytes(table)
                .zeroesTo(PARTITION_START * SECTOR)
                .content(filesystemSize, filesystem)
                .bytes(table)
                .bytes(header(lastSector, 1, backupTable, lastSector, diskGuid, table))
                .build();
    }

    private static byte[] table(UUID partitionGuid, long first, long last) {
        ByteBuffer b = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        putGuid(b, LINUX_FILESYSTEM);
        putGuid(b, partitionGuid);
        b.putLong(first);
        b.putLong(last);
        b.putLong(LEGACY_BIOS_BOOTABLE);
        return b.array();
    }

    private static byte[] header(long current, long backup, long tableStart, long lastSector, UUID diskGuid, byte[] table) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0x0001_0000);                 // revision 1.0
        b.putInt(HEADER_SIZE);
        b.putInt(0);                           // header CRC, filled in below
        b.putInt(0);
        b.putLong(current);
        b.putLong(backup);
        b.putLong(2 + TABLE_SECTORS);          // first usable sector
        b.putLong(lastSector - TABLE_SECTORS - 1);
        putGuid(b, diskGuid);
        b.putLong(tableStart);
        b.putInt(ENTRIES);
        b.putInt(ENTRY_SIZE);
        b.putInt((int) crc(table, table.length));
        b.putInt(16, (int) crc(b.array(), HEADER_SIZE));
        return b.array();
    }

    private static long crc(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return crc.getValue();
    }

    /** A GUID as GPT stores it: the first three fields little-endian, the last eight bytes as written. */
    private static void putGuid(ByteBuffer b, UUID guid) {
        long high = guid.getMostSignificantBits();
        b.putInt((int) (high >>> 32));
        b.putShort((short) (high >>> 16));
        b.putShort((short) high);
        b.order(ByteOrder.BIG_ENDIAN).putLong(guid.getLeastSignificantBits()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
