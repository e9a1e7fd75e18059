package io.nbd4j.plugins.example1;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.ZeroBytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code example1}: the smallest useful plugin, and the fixture nbdkit's own tests start when they need
 * any server at all: a read-only 100 MiB disk holding an MBR with one empty Linux partition. No
 * parameters. The boot sector is built once; everything after it reads as zeroes.
 *
 * <p><b>Threads.</b> The handle is stateless and the boot sector is never written, so any number of
 * threads would do; the plugin still declares {@link ThreadModel#SERIALIZE_ALL_REQUESTS}, as nbdkit's
 * example does for the benefit of those who copy it.
 */
public final class Example1Plugin implements Plugin {
    static final long SIZE = 100L << 20;
    static final int SECTOR = 512;
    /** The partition starts at 1 MiB, as partitioning tools align it, and runs to the end of the disk. */
    static final long PARTITION_START_SECTOR = 2048;

    private static final ByteBuffer BOOT_SECTOR = bootSector().asReadOnlyBuffer();

    private static final Handle DISK = new Handle() {
        @Override
        public long size() {
            return SIZE;
        }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) {
            int at = buffer.position();
            int length = buffer.remaining();
            int fromBootSector = offset < SECTOR ? (int) Math.min(length, SECTOR - offset) : 0;
            if (fromBootSector > 0) {
                buffer.put(at, BOOT_SECTOR, (int) offset, fromBootSector);
            }
            ZeroBytes.fill(buffer.slice(at + fromBootSector, length - fromBootSector));
        }
    };

    /** An MBR: a disk signature, one partition entry (type 0x83, Linux), and the boot signature. */
    private static ByteBuffer bootSector() {
        ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        mbr.putInt(0x1b8, 0x6e626434);
        int entry = 0x1be;
        mbr.put(entry + 1, (byte) 0xfe).put(entry + 2, (byte) 0xff).put(entry + 3, (byte) 0xff);
        mbr.put(entry + 4, (byte) 0x83);
        mbr.put(entry + 5, (byte) 0xfe).put(entry + 6, (byte) 0xff).put(entry + 7, (byte) 0xff);
        mbr.putInt(entry + 8, (int) PARTITION_START_SECTOR);
        mbr.putInt(entry + 12, (int) (SIZE / SECTOR - PARTITION_START_SECTOR));
        mbr.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);
        return mbr;
    }

    @Override public String name() { return "example1"; }
    @Override public String description() { return "a read-only 100 MiB disk with one empty partition (a test fixture)"; }
    @Override public ThreadModel threadModel() { return ThreadModel.SERIALIZE_ALL_REQUESTS; }
    @Override public Handle open(OpenRequest request) { return DISK; }
}
