package io.nbd4j.filters.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report text, byte for byte as nbdkit 1.32 writes it for the same requests and timings. */
class StatsReportTest {
    private static final long MICROS = 1_000;

    @Test
    void writeAndFlushAreReportedAsNbdkitDoes() {
        Stats stats = new Stats(true);
        stats.write.record(4096, 0, 41 * MICROS, true);
        stats.flush.record(0, 0, 0, true);

        assertThat(StatsReport.format(stats.snapshot(), 52_520 * MICROS, 0.95)).isEqualTo("""
                total: 2 ops, 0.052520 s, 4.00 KiB, 76.16 KiB/s
                write: 1 ops, 0.000041 s, 4.00 KiB, 95.27 MiB/s op, 76.16 KiB/s total
                  Request size and alignment breakdown:
                    other sizes: 100.0% (1 reqs, 4.00 KiB total)

                flush: 1 ops, 0.000000 s, 0 bytes, (n/a)/s op, 0 bytes/s total
                """);
    }

    @Test
    void sizeClassesAndAlignmentsAreBrokenDownUpToTheThreshold() {
        Stats stats = new Stats(true);
        for (long offset : new long[] {4096, 4096 * 3, 4096 * 5, 8192, 0}) {
            stats.write.record(4096, offset, 0, true);
        }
        for (long offset : new long[] {0, 512, 1024}) {
            stats.read.record(512, offset, 0, true);
        }

        assertThat(StatsReport.format(stats.snapshot(), 1_000_000, 0.95)).contains("""
                read: 3 ops, 0.000000 s, 1.50 KiB, (n/a)/s op, 1.46 MiB/s total
                  Request size and alignment breakdown:
                     9 bits: 100.0% (3 reqs, 1.50 KiB total)
                          9 bit aligned: 100.0% (3)
                         10 bit aligned:  66.7% (2)

                write: 5 ops, 0.000000 s, 20.00 KiB, (n/a)/s op, 19.53 MiB/s total
                  Request size and alignment breakdown:
                    12 bits: 100.0% (5 reqs, 20.00 KiB total)
                         12 bit aligned: 100.0% (5)
                         13 bit aligned:  40.0% (2)

                """);
    }

    @Test
    void rareSizesAreSummedIntoOtherSizes() {
        Stats stats = new Stats(true);
        for (int i = 0; i < 19; i++) {
            stats.trim.record(1 << 20, 1L << 20, 0, true);
        }
        stats.trim.record(512, 512, 0, true);

        assertThat(StatsReport.format(stats.snapshot(), 1_000_000, 0.95)).contains("""
                  Request size and alignment breakdown:
                    20 bits: 95.0% (19 reqs, 19.00 MiB total)
                         20 bit aligned: 100.0% (19)
                    other sizes:  5.0% (1 reqs, 512 bytes total)
                """);
    }

    @Test
    void aZeroThresholdLeavesTheBreakdownOut() {
        Stats stats = new Stats(false);
        stats.read.record(512, 0, 0, false);
        assertThat(StatsReport.format(stats.snapshot(), 1_000_000, 0)).doesNotContain("breakdown");
    }

    @Test
    void totalsLeaveOutCacheAndCountBytesOfDataOperationsOnly() {
        Stats stats = new Stats(true);
        stats.cache.record(4096, 0, 0, true);
        stats.extents.record(1 << 20, 0, 0, true);
        stats.zero.record(1024, 0, 0, true);
        String report = StatsReport.format(stats.snapshot(), 1_000_000_000, 0.95);
        assertThat(report).startsWith("total: 2 ops, 1.000000 s, 1.00 KiB, 1.00 KiB/s\n");
        List<String> lines = report.lines().filter(l -> !l.startsWith(" ") && !l.isEmpty()).toList();
        assertThat(lines).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("total", "zero", "extents", "cache");
    }

    @Test
    void humanSizesSwitchUnitsAt1024() {
        assertThat(StatsReport.size(1023)).isEqualTo("1023 bytes");
        assertThat(StatsReport.size(1024)).isEqualTo("1.00 KiB");
        assertThat(StatsReport.size(3L << 20)).isEqualTo("3.00 MiB");
        assertThat(StatsReport.size(25L << 30)).isEqualTo("25.00 GiB");
    }
}
