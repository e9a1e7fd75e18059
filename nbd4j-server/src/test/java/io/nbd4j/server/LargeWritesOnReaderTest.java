package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large writes run on the connection's reader once they have run at memory speed, and go back to
 * threads of their own when they block; either way every byte lands where it was sent. A request
 * handed off gets a new virtual thread, so a thread that ran two writes is the reader.
 */
class LargeWritesOnReaderTest {
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** Notes the thread that ran each write; optionally sleeps in every write. */
    static final class ThreadRecordingDisk extends RamDisk {
        final List<Thread> writers = new CopyOnWriteArrayList<>();
        final long sleepMillis;

        ThreadRecordingDisk(int size, long sleepMillis) {
            super(size);
            this.sleepMillis = sleepMillis;
        }

        @Override
        void enter(String call) {
            if (call.equals("pwrite")) {
                writers.add(Thread.currentThread());
                if (sleepMillis > 0) {
                    try {
                        Thread.sleep(sleepMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /**
     * Serves {@code disk} and writes {@code count} 1 MiB payloads to it one at a time (each reply
     * awaited), cycling over the disk; checks that the disk holds what was written last.
     */
    private void writeOneAtATime(ThreadRecordingDisk disk, int count) throws Exception {
        fixture.start(ServerFixture.builder(disk));
        byte[] expected = new byte[disk.data.length];
        Random random = new Random(14);
        try (TestClient client = fixture.client()) {
            client.negotiateSimple();
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[MIB];
                random.nextBytes(payload);
                int offset = (i * MIB) % expected.length;
                client.request(0, Command.WRITE, i, offset, MIB, payload);
                assertThat(client.simpleReply(i)).isZero();
                System.arraycopy(payload, 0, expected, offset, MIB);
            }
        }
        assertThat(disk.data).isEqualTo(expected);
    }

    @Test
    void largeWritesAtMemorySpeedComeToRunOnTheReaderAndLandIntact() throws Exception {
        ThreadRecordingDisk disk = new ThreadRecordingDisk(8 * MIB, 0);
        writeOneAtATime(disk, 200);
        // the first writes of a connection run on threads of their own, before the average says they are fast
        assertThat(disk.writers.subList(0, 5)).doesNotHaveDuplicates();
        assertThat(new HashSet<>(disk.writers)).as("threads that ran the 200 writes").hasSizeLessThan(200);
    }

    @Test
    void largeWritesThatBlockNeverRunOnTheReader() throws Exception {
        ThreadRecordingDisk disk = new ThreadRecordingDisk(4 * MIB, 6);
        writeOneAtATime(disk, 40);
        assertThat(disk.writers).hasSize(40).doesNotHaveDuplicates();
    }
}
