package io.nbd4j.bench;

import io.nbd4j.plugins.memory.PageTable;
import io.nbd4j.spi.NbdException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The memory plugin's page table: reads and overwrites of written data, reads of holes, and extents,
 * at random aligned offsets of a 256 MiB disk written full once. Run with several threads
 * ({@code -t 2}) to see the lock-free paths under contention. The table is shared; each thread has
 * its own buffer and random offsets.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PageTableBenchmark {
    static final long DISK = 256L << 20;

    /** The shared disk: written full at setup, plus a second table that stays empty. */
    @State(Scope.Benchmark)
    public static class Disk {
        final PageTable full = new PageTable();
        final PageTable empty = new PageTable();

        @Setup(Level.Trial)
        public void fill() throws NbdException {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < chunk.capacity(); i++) {
                chunk.put(i, (byte) (i * 31 + 7));
            }
            for (long at = 0; at < DISK; at += chunk.capacity()) {
                full.write(chunk.clear(), at);
            }
        }

        @TearDown(Level.Trial)
        public void release() {
            full.close();
            empty.close();
        }
    }

    /** One thread's request buffer and offsets. */
    @State(Scope.Thread)
    public static class Request {
        @Param({"4096", "262144"})
        public int size;
        ByteBuffer buffer;
        private final SplittableRandom random = new SplittableRandom(1);

        @Setup(Level.Trial)
        public void allocate() {
            buffer = ByteBuffer.allocateDirect(size);
        }

        long nextOffset() {
            return random.nextLong(DISK / size) * size;
        }
    }

    @Benchmark
    public ByteBuffer readWritten(Disk disk, Request request) {
        disk.full.read(request.buffer.clear(), request.nextOffset());
        return request.buffer;
    }

    @Benchmark
    public ByteBuffer readHole(Disk disk, Request request) {
        disk.empty.read(request.buffer.clear(), request.nextOffset());
        return request.buffer;
    }

    @Benchmark
    public ByteBuffer overwrite(Disk disk, Request request) throws NbdException {
        disk.full.write(request.buffer.clear(), request.nextOffset());
        return request.buffer;
    }

    @Benchmark
    public int extentsOfWritten(Disk disk, Request request) throws NbdException {
        int[] count = new int[1];
        disk.full.extents(request.size, request.nextOffset(), false, (offset, length, type) -> count[0]++);
        return count[0];
    }
}
