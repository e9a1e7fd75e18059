package io.nbd4j.plugins.floppy;

import io.nbd4j.spi.ConfigException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Writes one directory's table of 32-byte entries: first the volume label (root) or the {@code .}
 * and {@code ..} entries (subdirectories), then for each child its long-name entries, last part
 * first, and its 8.3 entry. A long name is stored in UTF-16, 13 units per entry, ended by a 0 unit
 * and padded with {@code 0xFFFF} when it does not fill its last entry, each entry carrying the checksum
 * of the 8.3 name it belongs to.
 *
 * <p>Threads: one table, one thread.
 */
final class DirectoryTable {
    static final int ENTRY_SIZE = 32;
    /** The most entries a FAT directory may have. */
    static final int MAX_ENTRIES = 65536;
    private static final int NAME_UNITS_PER_ENTRY = 13;
    /** Windows' and Linux's limit on a long name. */
    private static final int MAX_NAME_UNITS = 255;

    static final int ATTR_VOLUME_LABEL = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int ATTR_ARCHIVE = 0x20;
    private static final int ATTR_LONG_NAME = 0x0F;
    private static final int LAST_LONG_ENTRY = 0x40;

    private final ByteBuffer table;
    private final ZoneId zone;

    private DirectoryTable(int entries, ZoneId zone) {
        this.table = ByteBuffer.allocate(entries * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        this.zone = zone;
    }

    /** How many entries a directory with these children needs, counting the label or dot entries. */
    static int entriesFor(SourceTree.Node dir, boolean root) throws ConfigException {
        int entries = root ? 1 : 2;
        for (SourceTree.Node child : dir.children()) {
            int units = child.name().length();
            if (units > MAX_NAME_UNITS) {
                throw new ConfigException("floppy: " + child.path() + ": the name is longer than FAT allows (255 UTF-16 units)");
            }
            entries += Math.ceilDiv(units, NAME_UNITS_PER_ENTRY) + 1;
        }
        if (entries > MAX_ENTRIES) {
            throw new ConfigException("floppy: " + dir.path() + " holds more entries than a FAT directory can (65536 with long names)");
        }
        return entries;
    }

    static DirectoryTable forRoot(int entries, byte[] label, ZoneId zone) {
        DirectoryTable t = new DirectoryTable(entries, zone);
        t.shortEntry(label, ATTR_VOLUME_LABEL, null, 0, 0);
        return t;
    }

    /** @param parentCluster the parent's first cluster, 0 when the parent is the root, as FAT wants */
    static DirectoryTable forSubdirectory(int entries, SourceTree.Node self, long selfCluster, long parentCluster,
                                          SourceTree.Node parent, ZoneId zone) {
        DirectoryTable t = new DirectoryTable(entries, zone);
        t.shortEntry(padded(".").getBytes(StandardCharsets.US_ASCII), ATTR_DIRECTORY, self, selfCluster, 0);
        t.shortEntry(padded("..").getBytes(StandardCharsets.US_ASCII), ATTR_DIRECTORY, parent, parentCluster, 0);
        return t;
    }

    /** Adds a child: its long-name entries and its 8.3 entry. */
    void add(SourceTree.Node child, byte[] shortName, long firstCluster) {
        int checksum = checksum(shortName);
        String name = child.name();
        int parts = Math.ceilDiv(name.length(), NAME_UNITS_PER_ENTRY);
        for (int part = parts; part >= 1; part--) {
            longNameEntry(name, part, part == parts, checksum);
        }
        shortEntry(shortName, child.directory() ? ATTR_DIRECTORY : ATTR_ARCHIVE, child, firstCluster,
                child.directory() ? 0 : child.size());
    }

    byte[] bytes() {
        return table.array();
    }

    private void longNameEntry(String name, int part, boolean last, int checksum) {
        int start = table.position();
        char[] units = new char[NAME_UNITS_PER_ENTRY];
        Arrays.fill(units, (char) 0xFFFF);
        int from = (part - 1) * NAME_UNITS_PER_ENTRY;
        int n = Math.min(NAME_UNITS_PER_ENTRY, name.length() - from);
        name.getChars(from, from + n, units, 0);
        if (n < NAME_UNITS_PER_ENTRY) {
            units[n] = 0;
        }
        table.put((byte) (part | (last ? LAST_LONG_ENTRY : 0)));
        putUnits(units, 0, 5);
        table.put((byte) ATTR_LONG_NAME);
        table.put((byte) 0);
        table.put((byte) checksum);
        putUnits(units, 5, 11);
        table.putShort((short) 0);
        putUnits(units, 11, 13);
        assert table.position() == start + ENTRY_SIZE;
    }

    private void putUnits(char[] units, int from, int to) {
        for (int i = from; i < to; i++) {
            table.putChar(units[i]);
        }
    }

    private void shortEntry(byte[] name11, int attributes, SourceTree.Node times, long firstCluster, long size) {
        int start = table.position();
        table.put(name11, 0, 11);
        table.put((byte) attributes);
        table.put((byte) 0);
        FatTime created = times == null ? new FatTime(0, 0, 0) : FatTime.of(times.created(), zone);
        FatTime modified = times == null ? new FatTime(0, 0, 0) : FatTime.of(times.modified(), zone);
        FatTime accessed = times == null ? new FatTime(0, 0, 0) : FatTime.of(times.accessed(), zone);
        table.put((byte) created.hundredths());
        table.putShort((short) created.time());
        table.putShort((short) created.date());
        table.putShort((short) accessed.date());
        table.putShort((short) (firstCluster >>> 16));
        table.putShort((short) modified.time());
        table.putShort((short) modified.date());
        table.putShort((short) (firstCluster & 0xFFFF));
        table.putInt((int) size);
        assert table.position() == start + ENTRY_SIZE;
    }

    /** The checksum long-name entries carry of their 8.3 name (rotate right, add). */
    static int checksum(byte[] shortName) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) | ((sum & 0xFF) >>> 1)) + (shortName[i] & 0xFF);
            sum &= 0xFF;
        }
        return sum;
    }

    static String padded(String s) {
        return String.format("%-11s", s);
    }
}
