package io.nbd4j.filters.scan;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.GatedDisk;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ScanFilterTest {
    private static final int K256 = 256 * 1024;

    @Test
    void aConnectionPrefetchesTheWholeDiskInOrder() throws Exception {
        GatedDisk disk = new GatedDisk(4 * K256 + 100).cachesNatively();
        try (ServedStack served = ServedStack.of(disk, new ScanFilter()).config("scan-size=256K").start();
             NbdClient client = served.connect()) {
            disk.awaitCall("cache " + 4 * K256 + "+100");
        }
        assertThat(disk.calls()).containsExactly("cache 0+262144", "cache 262144+262144", "cache 524288+262144",
                "cache 786432+262144", "cache 1048576+100");
    }

    @Test
    void aReadPastTheScanMakesItSkipForward() throws Exception {
        GatedDisk disk = new GatedDisk(8 * K256).cachesNatively();
        GatedDisk.Gate first = disk.gateCache(0);
        try (ServedStack served = ServedStack.of(disk, new ScanFilter()).config("scan-size=256K").start();
             NbdClient client = served.connect()) {
            first.awaitEntered();
            client.pread(5 * K256 + 10, 100);
            first.open();
            disk.awaitCall("cache 1835118+262034");
        }
        assertThat(disk.calls()).containsExactly("cache 0+262144", "pread 1310730+100", "cache 1310830+262144",
                "cache 1572974+262144", "cache 1835118+262034");
    }

    @Test
    void aNewConnectionGoesOnFromTheClockUnlessScanClockIsOff() throws Exception {
        GatedDisk disk = new GatedDisk(2 * K256).cachesNatively();
        try (ServedStack served = ServedStack.of(disk, new ScanFilter()).config("scan-size=256K").start()) {
            try (NbdClient first = served.connect()) {
                disk.awaitCall("cache 262144+262144");
            }
            try (NbdClient second = served.connect()) {
                disk.awaitCall("cache 262144+262144");
            }
        }
        assertThat(disk.calls()).containsExactly("cache 0+262144", "cache 262144+262144", "cache 262144+262144");

        GatedDisk fresh = new GatedDisk(2 * K256).cachesNatively();
        try (ServedStack served = ServedStack.of(fresh, new ScanFilter()).config("scan-size=256K", "scan-clock=false").start()) {
            for (int i = 0; i < 2; i++) {
                try (NbdClient client = served.connect()) {
                    fresh.awaitCalls(2 * (i + 1));
                }
            }
        }
        assertThat(fresh.calls()).containsExactly("cache 0+262144", "cache 262144+262144", "cache 0+262144", "cache 262144+262144");
    }

    @Test
    void aScanSizeThatIsNoPowerOfTwoInRangeIsRefused() {
        assertThatThrownBy(() -> Layers.configured(new ScanFilter(), "scan-size=1000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power of 2 from 512 to 32M");
        assertThatThrownBy(() -> Layers.configured(new ScanFilter(), "scan-size=64M"))
                .isInstanceOf(ConfigException.class);
    }
}
