package io.nbd4j.plugins.floppy;

import io.nbd4j.plugins.common.MasterBootRecord;
import io.nbd4j.spi.ConfigException;

import java.util.function.IntToLongFunction;

/**
 * Where everything goes on the virtual floppy, in 512-byte sectors. The disk: the partition table in
 * sector 0, the FAT32 partition from sector 2048 (1 MiB, the usual alignment). The partition: 32
 * reserved sectors (boot sector, information sector, backup boot sector at 6), two copies of the FAT,
 * each a whole number of clusters so that clusters stay aligned, then the clusters.
 *
 * <p><b>Choosing the cluster size.</b> The smallest of 512 bytes to 16 KiB that keeps the FAT within
 * {@value #PREFERRED_MAX_CLUSTERS} entries, so small files waste little and huge trees still get a
 * FAT of reasonable size. <b>At least {@value #MIN_CLUSTERS} clusters</b>, because FAT readers decide
 * the FAT width from the cluster count alone, and fewer would make them read this FAT32 as FAT16
 * (mtools refuses such a disk). So the smallest floppy is about 33 MiB, nearly all of it an unallocated
 * tail that costs nothing. With {@code size=} the partition fills the disk and holds as many clusters
 * as fit; the sectors after the last whole cluster stay unused.
 *
 * @param sectorsPerCluster 1 to 32
 * @param clusters          data clusters, numbered from 2
 * @param fatSectors        sectors of each FAT copy
 * @param partitionSectors  the partition's length
 * @param diskSize          the disk's length in bytes
 */
record FatGeometry(int sectorsPerCluster, long clusters, long fatSectors, long partitionSectors, long diskSize) {
    static final int SECTOR = MasterBootRecord.SECTOR_SIZE;
    static final long PARTITION_START = 2048;
    static final int RESERVED_SECTORS = 32;
    static final int FSINFO_SECTOR = 1;
    static final int BACKUP_BOOT_SECTOR = 6;
    static final long MIN_CLUSTERS = 65525;
    /** The highest cluster number is 0x0FFFFFF6; numbering starts at 2. */
    static final long MAX_CLUSTERS = 0x0FFF_FFF5L;
    static final long PREFERRED_MAX_CLUSTERS = 1L << 22;
    private static final int MAX_SECTORS_PER_CLUSTER = 32;

    /** Sector (from the partition's start) of the first FAT. */
    long fatStart() {
        return RESERVED_SECTORS;
    }

    /** Sector (from the partition's start) of cluster 2. */
    long dataStart() {
        return RESERVED_SECTORS + 2 * fatSectors;
    }

    int clusterSize() {
        return sectorsPerCluster * SECTOR;
    }

    /**
     * The layout for content needing {@code usedClusters.applyAsLong(sectorsPerCluster)} clusters: just
     * large enough when {@code requestedSize} is 0, else exactly {@code requestedSize} bytes.
     */
    static FatGeometry plan(IntToLongFunction usedClusters, long requestedSize) throws ConfigException {
        return requestedSize == 0 ? smallest(usedClusters) : sized(usedClusters, requestedSize);
    }

    private static FatGeometry smallest(IntToLongFunction usedClusters) throws ConfigException {
        int spc = 1;
        while (spc < MAX_SECTORS_PER_CLUSTER && usedClusters.applyAsLong(spc) > PREFERRED_MAX_CLUSTERS) {
            spc *= 2;
        }
        long clusters = Math.max(MIN_CLUSTERS, usedClusters.applyAsLong(spc));
        if (clusters > MAX_CLUSTERS) {
            throw new ConfigException("floppy: the directory is too large for a FAT32 file system");
        }
        long fat = fatSectorsFor(clusters, spc);
        long partition = RESERVED_SECTORS + 2 * fat + clusters * spc;
        checkAddressable(partition);
        return new FatGeometry(spc, clusters, fat, partition, (PARTITION_START + partition) * SECTOR);
    }

    private static FatGeometry sized(IntToLongFunction usedClusters, long size) throws ConfigException {
        long partition = size / SECTOR - PARTITION_START;
        checkAddressable(partition);
        FatGeometry fallback = null;
        for (int spc = 1; spc <= MAX_SECTORS_PER_CLUSTER; spc *= 2) {
            long available = partition - RESERVED_SECTORS;
            if (available <= 0) {
                break;
            }
            // The FAT for the clusters that would fit without it is large enough for those that do.
            long fat = fatSectorsFor(available / spc, spc);
            long clusters = Math.max(0, (partition - RESERVED_SECTORS - 2 * fat) / spc);
            if (clusters < MIN_CLUSTERS || clusters > MAX_CLUSTERS || usedClusters.applyAsLong(spc) > clusters) {
                continue;
            }
            FatGeometry g = new FatGeometry(spc, clusters, fat, partition, size);
            if (clusters <= PREFERRED_MAX_CLUSTERS) {
                return g;
            }
            if (fallback == null) {
                fallback = g;
            }
        }
        if (fallback != null) {
            return fallback;
        }
        FatGeometry least = smallest(usedClusters);
        throw new ConfigException("floppy: size=" + size + " is too small: the files need a disk of at least "
                + least.diskSize() + " bytes (a FAT32 file system has at least " + MIN_CLUSTERS + " clusters)");
    }

    private static long fatSectorsFor(long clusters, int spc) {
        long sectors = Math.ceilDiv((clusters + 2) * 4, SECTOR);
        return Math.ceilDiv(sectors, spc) * spc;
    }

    private static void checkAddressable(long partitionSectors) throws ConfigException {
        if (partitionSectors > MasterBootRecord.MAX_SECTORS - PARTITION_START) {
            throw new ConfigException("floppy: the disk would be larger than a DOS partition table can address (2 TiB)");
        }
    }
}
