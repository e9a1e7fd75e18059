package io.nbd4j.plugins.common;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The first sector of a disk partitioned the DOS way, holding one partition and no boot code: the
 * floppy plugin's FAT partition, and the protective record in front of the linuxdisk plugin's GPT.
 * Cylinder/head/sector addresses are the "beyond reach" value 1023/254/63, so that readers use the
 * 32-bit sector numbers, as every current one does. Stateless.
 */
public final class MasterBootRecord {
    public static final int SECTOR_SIZE = 512;
    /** The largest sector number or count the record can hold. */
    public static final long MAX_SECTORS = 0xFFFF_FFFFL;

    private MasterBootRecord() {}

    /**
     * The sector, with partition 1 of type {@code type} covering {@code count} sectors from
     * {@code firstSector}; both must fit in 32 bits.
     */
    public static byte[] withOnePartition(int type, long firstSector, long count, boolean bootable) {
        if (firstSector > MAX_SECTORS || count > MAX_SECTORS) {
            throw new IllegalArgumentException("a master boot record cannot address sector " + (firstSector + count));
        }
        ByteBuffer b = ByteBuffer.allocate(SECTOR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.position(446);
        b.put((byte) (bootable ? 0x80 : 0));
        putUnreachableChs(b);
        b.put((byte) type);
        putUnreachableChs(b);
        b.putInt((int) firstSector);
        b.putInt((int) count);
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return b.array();
    }

    private static void putUnreachableChs(ByteBuffer b) {
        int cylinder = 1023;
        b.put((byte) 254);
        b.put((byte) (((cylinder >> 2) & 0xC0) | 63));
        b.put((byte) (cylinder & 0xFF));
    }
}
