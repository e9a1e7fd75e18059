package io.nbd4j.bench;

import io.nbd4j.server.transmission.BufferPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The server's direct buffer pool: one acquire and release per request with a payload or read data.
 * The pool is shared by every benchmark thread, as it is by every connection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BufferPoolBenchmark {
    private final BufferPool pool = new BufferPool(32 << 20);

    @Param({"4096", "262144"})
    public int size;

    @Benchmark
    public int acquireAndRelease() {
        ByteBuffer b = pool.acquire(size);
        int limit = b.limit();
        pool.release(b);
        return limit;
    }
}
