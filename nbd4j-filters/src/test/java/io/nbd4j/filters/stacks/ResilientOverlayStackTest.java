package io.nbd4j.filters.stacks;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.cow.CowFilter;
import io.nbd4j.filters.readahead.ReadaheadFilter;
import io.nbd4j.filters.retry.RetryFilter;
import io.nbd4j.filters.testkit.Concurrently;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack nbdkit users put in front of a flaky remote disk, {@code --filter=readahead --filter=cow
 * --filter=retry}, over a disk whose reads fail now and then: every byte a client reads is the disk's
 * or its own write, and the disk itself is never written.
 */
@Timeout(120)
class ResilientOverlayStackTest {
    private static final int SIZE = 2 << 20;
    private static final int CHUNK = 64 * 1024;

    @Test
    void clientsReadingAndWritingThroughReadaheadCowAndRetryOverAFlakyDiskSeeEveryByteRight() throws Exception {
        byte[] original = new byte[SIZE];
        new Random(12).nextBytes(original);
        ScriptedPlugin disk = new ScriptedPlugin(SIZE).fill(0, original);
        disk.failEvery("pread", 5, NbdError.EIO);
        byte[] expected = original.clone();
        byte[] written = new byte[3 * CHUNK + 1000];
        new Random(13).nextBytes(written);
        int writeAt = 5 * CHUNK + 123;
        System.arraycopy(written, 0, expected, writeAt, written.length);

        try (ServedStack served = ServedStack.of(disk, new ReadaheadFilter(), new CowFilter(), new RetryFilter())
                .config("cow-on-cache=true", "retry-delay=1ms", "retries=10").start();
             NbdClient writer = served.connect(); NbdClient reader = served.connect()) {
            writer.pwrite(written, writeAt);
            Thread firstHalf = Concurrently.start(() -> readAndCompare(writer, expected, 0, SIZE / 2));
            Thread secondHalf = Concurrently.start(() -> readAndCompare(reader, expected, SIZE / 2, SIZE));
            Concurrently.join(firstHalf, secondHalf);
            readAndCompare(reader, expected, 0, SIZE);
        }

        assertThat(disk.calls()).as("reads of the disk failed now and then").anyMatch(c -> c.endsWith("failed"));
        assertThat(disk.calls()).as("the disk is never written").noneMatch(c -> c.startsWith("pwrite"));
        assertThat(disk.read(0, SIZE)).isEqualTo(original);
    }

    private static void readAndCompare(NbdClient client, byte[] expected, int from, int to) throws Exception {
        for (int at = from; at < to; at += CHUNK) {
            byte[] got = client.pread(at, CHUNK);
            assertThat(got).as("bytes at %d", at).isEqualTo(Arrays.copyOfRange(expected, at, at + CHUNK));
        }
    }
}
