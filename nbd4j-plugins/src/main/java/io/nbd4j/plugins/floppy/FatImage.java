package io.nbd4j.plugins.floppy;

import io.nbd4j.plugins.common.MasterBootRecord;
import io.nbd4j.plugins.common.VirtualDisk;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the virtual floppy from a {@link SourceTree}: a DOS partition table with one FAT32 partition
 * (type 0x0C, LBA), its boot sector, information sector and backup, the two FAT copies (one computed
 * table, {@link FatTable}, read twice), the directory tables, and every file's clusters, whose bytes
 * are read from the host file whenever a client reads them. The root directory is cluster 2, the other
 * directories follow in depth-first order, then the files in the same order, each in consecutive
 * clusters; empty files have no cluster.
 *
 * <p>Threads: built on one thread; the resulting {@link VirtualDisk} is immutable.
 */
final class FatImage {
    private static final byte[] OEM_NAME = "MSWIN4.1".getBytes(StandardCharsets.US_ASCII);
    private static final int PARTITION_TYPE_FAT32_LBA = 0x0C;
    private static final int MEDIA_FIXED_DISK = 0xF8;

    private final SourceTree.Node root;
    private final byte[] label;
    private final ZoneId zone;
    private final List<SourceTree.Node> directories = new ArrayList<>();
    private final List<SourceTree.Node> files = new ArrayList<>();
    private final Map<SourceTree.Node, Integer> tableEntries = new IdentityHashMap<>();
    private final Map<SourceTree.Node, Long> firstCluster = new IdentityHashMap<>();
    private final Map<SourceTree.Node, SourceTree.Node> parents = new IdentityHashMap<>();

    private FatImage(SourceTree.Node root, byte[] label, ZoneId zone) {
        this.root = root;
        this.label = label;
        this.zone = zone;
    }

    /**
     * The disk for {@code root}.
     *
     * @param label         the volume label, 11 bytes, space-padded
     * @param requestedSize the disk size in bytes, or 0 for just large enough
     * @param volumeId      the volume serial number
     */
    static VirtualDisk build(SourceTree.Node root, byte[] label, long requestedSize, int volumeId, ZoneId zone)
            throws ConfigException {
        FatImage image = new FatImage(root, label, zone);
        image.collect(root);
        FatGeometry g = FatGeometry.plan(image::usedClusters, requestedSize);
        long allocatedEnd = image.assignClusters(g.clusterSize());
        return image.layOut(g, allocatedEnd, volumeId);
    }

    private void collect(SourceTree.Node dir) throws ConfigException {
        directories.add(dir);
        tableEntries.put(dir, DirectoryTable.entriesFor(dir, dir == root));
        for (SourceTree.Node child : dir.children()) {
            if (child.directory()) {
                parents.put(child, dir);
                collect(child);
            }
        }
        if (dir == root) {
            collectFiles(root);
        }
    }

    private void collectFiles(SourceTree.Node dir) {
        for (SourceTree.Node child : dir.children()) {
            if (!child.directory()) {
                files.add(child);
            }
        }
        for (SourceTree.Node child : dir.children()) {
            if (child.directory()) {
                collectFiles(child);
            }
        }
    }

    private long clustersOf(SourceTree.Node node, long clusterSize) {
        long bytes = node.directory() ? (long) tableEntries.get(node) * DirectoryTable.ENTRY_SIZE : node.size();
        return Math.ceilDiv(bytes, clusterSize);
    }

    private long usedClusters(int sectorsPerCluster) {
        long clusterSize = (long) sectorsPerCluster * FatGeometry.SECTOR;
        long total = 0;
        for (SourceTree.Node d : directories) {
            total += clustersOf(d, clusterSize);
        }
        for (SourceTree.Node f : files) {
            total += clustersOf(f, clusterSize);
        }
        return total;
    }

    /** Numbers the chains from cluster 2; returns one past the last allocated cluster. */
    private long assignClusters(long clusterSize) {
        long next = 2;
        for (SourceTree.Node n : allocationOrder()) {
            long count = clustersOf(n, clusterSize);
            firstCluster.put(n, count == 0 ? 0L : next);
            next += count;
        }
        return next;
    }

    private List<SourceTree.Node> allocationOrder() {
        List<SourceTree.Node> all = new ArrayList<>(directories);
        all.addAll(files);
        return all;
    }

    private VirtualDisk layOut(FatGeometry g, long allocatedEnd, int volumeId) {
        long partitionStart = FatGeometry.PARTITION_START * FatGeometry.SECTOR;
        long clusterSize = g.clusterSize();
        long used = allocatedEnd - 2;
        byte[] bootSector = bootSector(g, volumeId);
        byte[] fsInfo = fsInfo(g.clusters() - used, used < g.clusters() ? allocatedEnd : 0xFFFF_FFFFL);
        FatTable fat = new FatTable(chainStarts(), allocatedEnd);
        long fatBytes = g.fatSectors() * FatGeometry.SECTOR;

        VirtualDisk.Builder disk = VirtualDisk.builder()
                .bytes(MasterBootRecord.withOnePartition(PARTITION_TYPE_FAT32_LBA, FatGeometry.PARTITION_START,
                        g.partitionSectors(), false))
                .zeroesTo(partitionStart)
                .bytes(bootSector)
                .bytes(fsInfo)
                .zeroesTo(partitionStart + (long) FatGeometry.BACKUP_BOOT_SECTOR * FatGeometry.SECTOR)
                .bytes(bootSector)
                .bytes(fsInfo)
                .zeroesTo(partitionStart + g.fatStart() * FatGeometry.SECTOR)
                .content(fatBytes, fat)
                .content(fatBytes, fat);
        for (SourceTree.Node n : allocationOrder()) {
            long length = clustersOf(n, clusterSize) * clusterSize;
            if (n.directory()) {
                disk.bytes(table(n), length);
            } else if (length > 0) {
                disk.content(n.size(), hostFile(n.path(), n.size())).zeroes(length - n.size());
            }
        }
        return disk.zeroesTo(g.diskSize()).build();
    }

    private long[] chainStarts() {
        return allocationOrder().stream().mapToLong(firstCluster::get).filter(c -> c != 0).toArray();
    }

    private byte[] table(SourceTree.Node dir) {
        int entries = tableEntries.get(dir);
        DirectoryTable t;
        if (dir == root) {
            t = DirectoryTable.forRoot(entries, label, zone);
        } else {
            SourceTree.Node parent = parents.get(dir);
            long parentCluster = parent == root ? 0 : firstCluster.get(parent);
            t = DirectoryTable.forSubdirectory(entries, dir, firstCluster.get(dir), parentCluster, parent, zone);
        }
        ShortNames names = new ShortNames();
        for (SourceTree.Node child : dir.children()) {
            t.add(child, names.assign(child.name()), firstCluster.get(child));
        }
        return t.bytes();
    }

    private byte[] bootSector(FatGeometry g, int volumeId) {
        ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0xEB, 0x58, (byte) 0x90});
        b.put(OEM_NAME);
        b.putShort((short) FatGeometry.SECTOR);
        b.put((byte) g.sectorsPerCluster());
        b.putShort((short) FatGeometry.RESERVED_SECTORS);
        b.put((byte) 2);                          // FAT copies
        b.putShort((short) 0);                    // root entries: FAT32 keeps the root in clusters
        b.putShort((short) 0);                    // 16-bit sector count: unused
        b.put((byte) MEDIA_FIXED_DISK);
        b.putShort((short) 0);                    // 16-bit FAT size: 0 marks FAT32
        b.putShort((short) 63);                   // sectors per track, heads: nominal, for old readers
        b.putShort((short) 255);
        b.putInt((int) FatGeometry.PARTITION_START);  // sectors before the partition
        b.putInt((int) g.partitionSectors());
        b.putInt((int) g.fatSectors());
        b.putShort((short) 0);                    // both FATs active, mirrored
        b.putShort((short) 0);                    // version 0.0
        b.putInt(2);                              // root directory cluster
        b.putShort((short) FatGeometry.FSINFO_SECTOR);
        b.putShort((short) FatGeometry.BACKUP_BOOT_SECTOR);
        b.put(new byte[12]);
        b.put((byte) 0x80);                       // drive number: first hard disk
        b.put((byte) 0);
        b.put((byte) 0x29);                       // the next three fields are present
        b.putInt(volumeId);
        b.put(label);
        b.put("FAT32   ".getBytes(StandardCharsets.US_ASCII));
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return b.array();
    }

    private static byte[] fsInfo(long freeClusters, long nextFree) {
        ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x4161_5252);
        b.putInt(484, 0x6141_7272);
        b.putInt(488, (int) freeClusters);
        b.putInt(492, (int) nextFree);
        b.putInt(508, 0xAA55_0000);
        return b.array();
    }

    /** A host file's bytes, read when asked; a file that shrank since the scan is an EIO. */
    private static VirtualDisk.Content hostFile(Path path, long size) {
        return (into, offset) -> {
            ByteBuffer out = into.duplicate();
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long at = offset;
                while (out.hasRemaining()) {
                    int n = ch.read(out, at);
                    if (n < 0) {
                        throw new NbdException(NbdError.EIO, "floppy: " + path + " is shorter than the "
                                + size + " bytes it had at start");
                    }
                    at += n;
                }
            } catch (NbdException e) {
                throw e;
            } catch (IOException e) {
                throw new NbdException(NbdError.EIO, "floppy: reading " + path + ": " + e.getMessage(), e);
            }
        };
    }
}
