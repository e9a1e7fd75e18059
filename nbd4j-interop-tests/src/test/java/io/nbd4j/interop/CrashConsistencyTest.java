package io.nbd4j.interop;

import io.nbd4j.client.NbdClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of {@code ./nbd4j ... file disk.img} in the middle of a storm of pipelined writes,
 * FUA writes and flushes from several connections; then the image file is read directly. Every block
 * must hold its newest durable write (acknowledged with FUA, or acknowledged before an acknowledged
 * flush) or a write issued after it, and never a torn mix.
 */
class CrashConsistencyTest {
    static final int WRITERS = 8;
    static final int BLOCKS_PER_WRITER = 256;

    @TempDir
    Path dir;

    @Test
    void killDashNineLosesNoDurableWrite() throws Exception {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength((long) WRITERS * BLOCKS_PER_WRITER * WriteLedger.BLOCK);
        }
        List<WriteLedger> ledgers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            ledgers.add(new WriteLedger(i, (long) i * BLOCKS_PER_WRITER, BLOCKS_PER_WRITER));
        }
        ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "file", image.toString());
        AtomicBoolean killed = new AtomicBoolean();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (WriteLedger ledger : ledgers) {
                running.add(writers.submit(() -> storm(s.uri(), ledger, new SplittableRandom(ledger.offsetOf(0)), killed)));
            }
            // let the storm run until a good share of writes is durable, then pull the plug
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ledgers.stream().mapToLong(WriteLedger::acknowledgedWrites).sum() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            killed.set(true);
            s.killNow();
            for (Future<?> f : running) {
                f.get();
            }
        }

        long checked = 0;
        long acknowledged = 0;
        long durableBlocks = ledgers.stream().mapToLong(WriteLedger::blocksWithADurableWrite).sum();
        try (FileChannel disk = FileChannel.open(image, StandardOpenOption.READ)) {
            for (WriteLedger ledger : ledgers) {
                acknowledged += ledger.acknowledgedWrites();
                for (int b = 0; b < ledger.blocks(); b++) {
                    ByteBuffer data = ByteBuffer.allocate(WriteLedger.BLOCK);
                    disk.read(data, ledger.offsetOf(b));
                    assertThat(ledger.check(b, data.array(), true)).isNull();
                    checked++;
                }
            }
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(4000);
        assertThat(durableBlocks).as("blocks whose durable write was checked").isGreaterThan(WRITERS * BLOCKS_PER_WRITER / 2);
        System.out.printf("CrashConsistencyTest: kill -9 after %d acknowledged writes; %d blocks checked, %d of them holding a"
                + " durable write, 0 lost%n", acknowledged, checked, durableBlocks);
    }

    /** Writes until the server dies under it; the failure that follows is expected and ends the storm. */
    private static Void storm(String uri, WriteLedger ledger, SplittableRandom random, AtomicBoolean killed) {
        try (NbdClient client = NbdClient.connect(uri)) {
            while (true) {
                ledger.writeBatch(client, random, 8, 3);
                if (random.nextInt(4) == 0) {
                    ledger.flush(client);
                }
            }
        } catch (Exception e) {
            if (!killed.get()) {
                throw new AssertionError("the storm failed before the server was killed", e);
            }
            return null;
        }
    }
}
