package io.nbd4j.filters.truncate;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ClientErrors;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class TruncateFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(10_000);

    private ServedStack served(String... parameters) throws Exception {
        return ServedStack.of(disk, new TruncateFilter()).config(parameters).start();
    }

    @Test
    void aSmallerSizeHidesTheEndOfTheDisk() throws Exception {
        try (ServedStack served = served("truncate=4096"); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(4096);
        }
    }

    @Test
    void pastTheEndOfTheLayerBelowReadsAsZeroes() throws Exception {
        byte[] ones = new byte[100];
        Arrays.fill(ones, (byte) 1);
        disk.fill(9900, ones);
        try (ServedStack served = served("truncate=16K"); NbdClient client = served.connect()) {
            byte[] read = client.pread(9950, 100);
            assertThat(Arrays.copyOfRange(read, 0, 50)).containsOnly(1);
            assertThat(Arrays.copyOfRange(read, 50, 100)).containsOnly(0);
            assertThat(client.pread(12000, 10)).containsOnly(0);
        }
        assertThat(disk.calls()).containsExactly("pread 9950+50");
    }

    @Test
    void writesPastTheEndMustBeZeroesAndAFailedOneWritesNothing() throws Exception {
        try (ServedStack served = served("truncate=16K"); NbdClient client = served.connect()) {
            byte[] data = new byte[100];
            data[0] = 7;
            client.pwrite(data, 9950);
            data[99] = 9;
            assertThat(ClientErrors.errorOf(() -> client.pwrite(data, 9960))).isEqualTo(ClientErrors.ENOSPC);
            client.pwrite(new byte[10], 12000);
        }
        assertThat(disk.calls()).containsExactly("pwrite 9950+50");
        assertThat(disk.read(9950, 1)).containsExactly(7);
    }

    @Test
    void trimZeroAndCacheReachOnlyThePartInsideTheLayerBelow() throws Exception {
        try (ServedStack served = served("truncate=16K"); NbdClient client = served.connect()) {
            client.trim(4096, 8192, 0);
            client.zero(4096, 8192, CommandFlags.NO_HOLE);
            client.cache(4096, 8192);
            client.zero(1024, 12288, 0);
        }
        assertThat(disk.calls()).containsExactly("trim 8192+1808", "zero 8192+1808", "cache 8192+1808");
    }

    @Test
    void blockStatusPastTheEndIsAHoleThatReadsAsZeroesEvenWhenOnlyRoundedUp() throws Exception {
        disk.fill(0, new byte[] {1});
        try (ServedStack served = served("round-up=16K"); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(16384);
            assertThat(client.canFastZero()).isTrue();
            List<Extent> inside = client.blockStatus(16384, 0, 0);
            assertThat(inside).extracting(Extent::offset, Extent::length, Extent::isHole)
                    .containsExactly(tuple(0L, 4096L, false), tuple(4096L, 5904L, true));
            assertThat(client.blockStatus(4096, 12288, 0)).extracting(Extent::offset, Extent::length, Extent::isZero)
                    .containsExactly(tuple(12288L, 4096L, true));
        }
    }

    @Test
    void sizeRulesApplyInTheirOrderEachToTheResultOfTheLastOne() throws Exception {
        assertThat(new SizeRule(-1, 512, 0).apply(503)).isEqualTo(512);
        assertThat(new SizeRule(-1, 0, 4096).apply(10_000)).isEqualTo(8192);
        assertThat(new SizeRule(1000, 1024, 512).apply(5)).isEqualTo(1024);
        assertThat(new SizeRule(-1, 1024, 0).apply(5L << 30)).isEqualTo(5L << 30);
        assertThatThrownBy(() -> new SizeRule(-1, 1L << 32 - 1, 0).apply(Long.MAX_VALUE - 5)).hasMessageContaining("cannot round");
    }

    @Test
    void roundingMustBeAPowerOfTwoAbove0() {
        assertThatThrownBy(() -> Layers.configured(new TruncateFilter(), "round-up=0")).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> Layers.configured(new TruncateFilter(), "round-down=1000")).hasMessageContaining("power of 2");
        assertThatThrownBy(() -> Layers.configured(new TruncateFilter(), "round-up=8G")).hasMessageContaining("too large");
    }
}
