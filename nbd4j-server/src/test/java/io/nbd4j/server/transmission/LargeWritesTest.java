package io.nbd4j.server.transmission;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ServerRequestHeader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LargeWritesTest {
    private static final int MIB = 1 << 20;
    /** A 1 MiB copy into memory, as measured for the memory plugin. */
    private static final long COPY_NANOS = 200_000;

    private static ServerRequestHeader write(long length, int flags) {
        return new ServerRequestHeader(flags, Command.WRITE, 1, 0, length);
    }

    private static LargeWrites afterFastWrites(int count) {
        LargeWrites writes = new LargeWrites();
        for (int i = 0; i < count; i++) {
            writes.record(write(MIB, 0), COPY_NANOS);
        }
        return writes;
    }

    @Test
    void onlyWritesOfAtLeast64KiBWithoutFuaAreLargeWrites() {
        assertThat(LargeWrites.isLarge(write(64 << 10, 0))).isTrue();
        assertThat(LargeWrites.isLarge(write(MIB, 0))).isTrue();
        assertThat(LargeWrites.isLarge(write((64 << 10) - 1, 0))).isFalse();
        assertThat(LargeWrites.isLarge(write(MIB, CommandFlags.FUA))).isFalse();
        assertThat(LargeWrites.isLarge(new ServerRequestHeader(0, Command.READ, 1, 0, MIB))).isFalse();
        assertThat(LargeWrites.isLarge(new ServerRequestHeader(0, Command.WRITE_ZEROES, 1, 0, MIB))).isFalse();
    }

    @Test
    void aNewConnectionsLargeWritesStartOnThreadsAndAboutTwentyCopiesAtMemorySpeedEarnTheReader() {
        assertThat(new LargeWrites().mayRunOnReader()).isFalse();
        assertThat(afterFastWrites(10).mayRunOnReader()).isFalse();
        assertThat(afterFastWrites(24).mayRunOnReader()).isTrue();
    }

    @Test
    void aLargeWriteThatBlockedHandsLargeWritesBackToThreadsAtOnce() {
        LargeWrites writes = afterFastWrites(32);
        writes.record(write(MIB, 0), 16 * ServiceTime.BLOCKED_NANOS);
        assertThat(writes.mayRunOnReader()).isFalse();
    }

    @Test
    void largeWritesAreTimedPerByteSoABigFastOneKeepsTheReaderAndASmallBlockedOneTakesItAway() {
        LargeWrites big = afterFastWrites(32);
        big.record(write(32 * MIB, 0), 32 * COPY_NANOS);
        assertThat(big.mayRunOnReader()).isTrue();

        LargeWrites small = afterFastWrites(32);
        small.record(write(64 << 10, 0), ServiceTime.BLOCKED_NANOS);
        assertThat(small.mayRunOnReader()).isFalse();
    }

    @Test
    void largeWritesAt100MBPerSecondLoseTheReaderWithinAFewWrites() {
        LargeWrites writes = afterFastWrites(32);
        int count = 0;
        while (writes.mayRunOnReader()) {
            writes.record(write(MIB, 0), 10_000_000);
            count++;
        }
        assertThat(count).isBetween(1, 6);
    }

    @Test
    void copiesThatWaitedForACpuNowAndThenKeepTheReader() {
        LargeWrites writes = afterFastWrites(32);
        for (int i = 0; i < 100; i++) {
            // one write in four waited four milliseconds for a CPU
            writes.record(write(MIB, 0), i % 4 == 0 ? 4_000_000 : COPY_NANOS);
            assertThat(writes.mayRunOnReader()).as("after write %d", i).isTrue();
        }
    }
}
