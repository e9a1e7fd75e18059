package io.nbd4j.filters.rate;

import io.nbd4j.filters.testkit.RecordingConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** How long requests are made to wait, on a clock that the recorded sleeps move on. */
class ThrottleTest {
    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong();
    final RecordingConnection connection = new RecordingConnection().onSleep(d -> clock.addAndGet(d.toNanos()));

    @Test
    void afterTheBurstTheBytesPassAtTheRate() throws Exception {
        Throttle t = new Throttle(1 << 20, 2.0, null, clock::get);   // 1 Mbit/s, a 2 s burst
        for (int i = 0; i < 80; i++) {
            t.pass(64 << 10, connection);   // 40 Mbit in all
        }

        // the first 2 Mbit pass at once, the other 38 take 38 s at 1 Mbit/s
        assertThat(connection.slept()).isBetween(Duration.ofMillis(37_990), Duration.ofMillis(38_010));
    }

    @Test
    void aRequestLargerThanTheBucketStillPassesAtTheRate() throws Exception {
        Throttle t = new Throttle(1 << 20, 0.5, null, clock::get);   // holds half a Mbit
        t.pass(1 << 20, connection);   // 8 Mbit

        assertThat(connection.slept()).isBetween(Duration.ofMillis(7_490), Duration.ofMillis(7_510));
        assertThat(connection.sleeps()).hasSizeGreaterThan(10);
    }

    @Test
    void theRateFileChangesTheRateWhileRunningAndItsAbsenceKeepsTheLastOne() throws Exception {
        Path file = dir.resolve("rate");
        Files.writeString(file, "8M\n");
        Throttle t = new Throttle(1 << 20, 1.0, file, clock::get);   // starts full: 1 Mbit
        t.pass(1 << 20, connection);   // 8 Mbit: 1 at once, 7 at the file's 8 Mbit/s
        assertThat(connection.slept()).isBetween(Duration.ofMillis(870), Duration.ofMillis(880));

        Files.delete(file);
        clock.addAndGet(RateFile.RECHECK_NANOS);
        t.pass(2 << 20, connection);   // 16 Mbit still at 8 Mbit/s, 0.8 of them come in during the 0.1 s
        assertThat(connection.slept()).isBetween(Duration.ofMillis(2_770), Duration.ofMillis(2_780));
    }

    @Test
    void theRateFileIsReadAtMostOncePerRecheckInterval() throws Exception {
        Path file = dir.resolve("rate");
        Files.writeString(file, "1K");
        TokenBucket bucket = new TokenBucket(1 << 20, 1.0, 0);
        RateFile rates = new RateFile(file, 0);

        rates.maybeAdjust(bucket, 0);
        assertThat(bucket.rate()).isEqualTo(1024);
        Files.writeString(file, "2K");
        rates.maybeAdjust(bucket, RateFile.RECHECK_NANOS - 1);
        assertThat(bucket.rate()).isEqualTo(1024);
        rates.maybeAdjust(bucket, RateFile.RECHECK_NANOS);
        assertThat(bucket.rate()).isEqualTo(2048);

        Files.writeString(file, "fast");
        rates.maybeAdjust(bucket, 3 * RateFile.RECHECK_NANOS);
        assertThat(bucket.rate()).as("a rate that does not parse is ignored").isEqualTo(2048);
    }
}
