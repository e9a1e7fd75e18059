package io.nbd4j.plugins.floppy;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FatGeometryTest {
    /** What a FAT reader computes from the boot sector: the clusters that fit after the FATs. */
    private static long clustersAReaderSees(FatGeometry g) {
        return (g.partitionSectors() - g.dataStart()) / g.sectorsPerCluster();
    }

    private static void assertConsistent(FatGeometry g) {
        assertThat(clustersAReaderSees(g)).isEqualTo(g.clusters());
        assertThat(g.fatSectors() * FatGeometry.SECTOR / 4).as("FAT entries").isGreaterThanOrEqualTo(g.clusters() + 2);
        assertThat(g.dataStart() % g.sectorsPerCluster()).isZero();
        assertThat(g.diskSize()).isGreaterThanOrEqualTo((FatGeometry.PARTITION_START + g.partitionSectors()) * FatGeometry.SECTOR);
    }

    @Test
    void aSmallTreeGetsTheLeastClustersFat32AllowsOfOneSector() throws Exception {
        FatGeometry g = FatGeometry.plan(spc -> 3, 0);
        assertThat(g.sectorsPerCluster()).isEqualTo(1);
        assertThat(g.clusters()).isEqualTo(FatGeometry.MIN_CLUSTERS);
        assertThat(g.diskSize()).isEqualTo((FatGeometry.PARTITION_START + g.partitionSectors()) * 512);
        assertConsistent(g);
    }

    @Test
    void aLargeTreeGetsLargerClusters() throws Exception {
        // 20 GiB: 8 KiB clusters still make 2.6M of them, 4 KiB ones 5.2M, more than the 4M preferred.
        long bytes = 20L << 30;
        FatGeometry g = FatGeometry.plan(spc -> Math.ceilDiv(bytes, spc * 512L), 0);
        assertThat(g.sectorsPerCluster()).isEqualTo(16);
        assertThat(g.clusters()).isEqualTo(bytes / (16 * 512));
        assertConsistent(g);
    }

    @Test
    void aRequestedSizeIsMetExactlyWithEveryClusterAddressable() throws Exception {
        for (long size : new long[] {40L << 20, (100L << 20) + 4096 + 17, 3L << 30}) {
            FatGeometry g = FatGeometry.plan(spc -> 10, size);
            assertThat(g.diskSize()).isEqualTo(size);
            assertThat(g.clusters()).isBetween(FatGeometry.MIN_CLUSTERS, FatGeometry.PREFERRED_MAX_CLUSTERS);
            assertConsistent(g);
        }
    }

    @Test
    void aSizeTooSmallForFat32OrForTheFilesIsRefusedWithTheLeastThatWorks() {
        assertThatThrownBy(() -> FatGeometry.plan(spc -> 10, 10L << 20))
                .isInstanceOf(ConfigException.class).hasMessageContaining("too small").hasMessageContaining("at least");
        assertThatThrownBy(() -> FatGeometry.plan(spc -> Math.ceilDiv(60L << 20, spc * 512L), 50L << 20))
                .isInstanceOf(ConfigException.class).hasMessageContaining("too small");
    }

    @Test
    void aDiskBeyondWhatAPartitionTableAddressesIsRefused() {
        assertThatThrownBy(() -> FatGeometry.plan(spc -> 10, 3L << 40))
                .isInstanceOf(ConfigException.class).hasMessageContaining("2 TiB");
    }
}
