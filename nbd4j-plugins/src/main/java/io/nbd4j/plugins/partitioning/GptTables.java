package io.nbd4j.plugins.partitioning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes the GPT of a layout: a protective MBR (one 0xEE partition over the whole disk, or as much as
 * an MBR can describe), the primary header and entries at the start, and the backup entries and header
 * at the end, each header with the CRC-32 of the entries and of itself. Each file's entry has its type
 * GUID, a random unique GUID, its first and last sector, the "legacy BIOS bootable" attribute for the
 * first file, and the file's name when it is short ASCII.
 *
 * <p>Stateless; runs once at start.
 */
final class GptTables {
    private static final int HEADER_SIZE = 92;
    private static final int PROTECTIVE = 0xee;
    private static final int NAME_CHARS = 36;

    private GptTables() {}

    static void write(DiskLayout layout, List<PartitionFile> files, byte[] diskGuid) {
        int tableSectors = DiskLayout.gptEntrySectors(files.size());
        long sectors = layout.size() / DiskLayout.SECTOR;
        byte[] primary = layout.region(0).data();
        byte[] backup = layout.regions().getLast().data();

        ByteBuffer mbr = ByteBuffer.wrap(primary, 0, DiskLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        long protectedBytes = Math.min(layout.size() - DiskLayout.SECTOR, 0xffff_ffffL * DiskLayout.SECTOR);
        MbrTables.entry(mbr, 0, false, PROTECTIVE, DiskLayout.SECTOR, protectedBytes);
        mbr.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);

        ByteBuffer entries = ByteBuffer.wrap(primary, 2 * DiskLayout.SECTOR, tableSectors * DiskLayout.SECTOR)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < files.size(); i++) {
            entry(entries, i, files.get(i), layout.fileRegion(i));
        }
        System.arraycopy(primary, 2 * DiskLayout.SECTOR, backup, 0, tableSectors * DiskLayout.SECTOR);
        long entriesCrc = crc(primary, 2 * DiskLayout.SECTOR, tableSectors * DiskLayout.SECTOR);

        header(ByteBuffer.wrap(primary, DiskLayout.SECTOR, DiskLayout.SECTOR).slice().order(ByteOrder.LITTLE_ENDIAN),
                1, sectors - 1, 2, sectors, tableSectors, files.size(), entriesCrc, diskGuid);
        header(ByteBuffer.wrap(backup, tableSectors * DiskLayout.SECTOR, DiskLayout.SECTOR).slice().order(ByteOrder.LITTLE_ENDIAN),
                sectors - 1, 1, sectors - tableSectors - 1, sectors, tableSectors, files.size(), entriesCrc, diskGuid);
    }

    private static void entry(ByteBuffer entries, int index, PartitionFile file, Region region) {
        int at = index * DiskLayout.GPT_ENTRY;
        entries.put(at, file.typeGuid());
        entries.put(at + 16, file.uniqueGuid());
        entries.putLong(at + 32, region.start() / DiskLayout.SECTOR);
        entries.putLong(at + 40, (region.end() - 1) / DiskLayout.SECTOR);
        entries.putLong(at + 48, index == 0 ? 4 : 0);
        String name = file.path().getFileName().toString();
        if (name.length() < NAME_CHARS && StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            entries.put(at + 56, name.getBytes(StandardCharsets.UTF_16LE));
        }
    }

    private static void header(ByteBuffer h, long current, long backup, long entriesLba, long sectors,
                               int tableSectors, int files, long entriesCrc, byte[] diskGuid) {
        h.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        h.putInt(8, 0x0001_0000);
        h.putInt(12, HEADER_SIZE);
        h.putLong(24, current);
        h.putLong(32, backup);
        h.putLong(40, 2 + tableSectors);
        h.putLong(48, sectors - tableSectors - 2);
        h.put(56, diskGuid);
        h.putLong(72, entriesLba);
        h.putInt(80, DiskLayout.gptEntries(files));
        h.putInt(84, DiskLayout.GPT_ENTRY);
        h.putInt(88, (int) entriesCrc);
        byte[] bytes = new byte[HEADER_SIZE];
        h.get(0, bytes);
        h.putInt(16, (int) crc(bytes, 0, HEADER_SIZE));
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
