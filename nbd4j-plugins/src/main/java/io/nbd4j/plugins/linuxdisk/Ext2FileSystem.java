package io.nbd4j.plugins.linuxdisk;

import io.nbd4j.plugins.common.ExternalCommand;
import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the ext2/3/4 image of a directory with {@code mke2fs -d} in a temporary file, which is
 * unlinked as soon as it is open, so nothing is left behind however the server ends.
 *
 * <p>Sizing, as nbdkit does it: without an exact size the content is measured with {@code du}, and
 * the file system gets that plus a fifth for metadata, at least 1 MiB, and 32 MiB more for the journal
 * of ext3 and ext4; {@code size=+N} asks for N bytes on top of that estimate. The size is rounded up
 * to whole 512-byte sectors.
 *
 * <p>Threads: used once, on the main thread.
 */
final class Ext2FileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(Ext2FileSystem.class);
    private static final long MIN_ESTIMATE = 1 << 20;
    private static final long JOURNAL_ALLOWANCE = 32L << 20;

    private Ext2FileSystem() {}

    /** The image, open read-only; its size is a whole number of sectors. */
    static DiskFile make(Path dir, String type, String label, long size, boolean addToEstimate, Path tmpdir)
            throws IOException {
        long bytes = size;
        if (size == 0 || addToEstimate) {
            long estimate = Math.max(MIN_ESTIMATE, diskUsage(dir) * 6 / 5);
            if (!type.equals("ext2")) {
                estimate += JOURNAL_ALLOWANCE;
            }
            bytes = addToEstimate ? size + estimate : estimate;
        }
        bytes = Math.ceilDiv(bytes, GptDisk.SECTOR) * GptDisk.SECTOR;
        LOG.debug("linuxdisk: file system of {} bytes", bytes);
        Path file = Files.createTempFile(tmpdir, "nbd4j-linuxdisk-", ".img");
        try {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(bytes);
            }
            ExternalCommand mke2fs = label == null
                    ? ExternalCommand.program("mke2fs", "-q", "-F", "-t", type, "-d", dir.toString(), file.toString())
                    : ExternalCommand.program("mke2fs", "-q", "-F", "-t", type, "-L", label, "-d", dir.toString(), file.toString());
            mke2fs.run();
            return DiskFile.open(file, false);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** What {@code du -s -k} says the directory occupies, in bytes. */
    private static long diskUsage(Path dir) throws IOException {
        String out = ExternalCommand.program("du", "-s", "-k", dir.toString()).run().strip();
        String kib = out.split("\\s+", 2)[0];
        try {
            return Long.parseLong(kib) * 1024;
        } catch (NumberFormatException e) {
            throw new NbdException(NbdError.EIO, "linuxdisk: could not read du's answer '" + out + "'", e);
        }
    }
}
