package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.nio.ByteBuffer;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A read-only disk of zeroes whose reads each wait until {@code parties} reads are inside it at once,
 * then all go on: proof that the layers above let that many run in parallel. If they serialize the
 * reads, the first one gives up after {@link #PATIENCE_SECONDS} and fails with EIO (a guard, not a
 * measurement: a parallel stack passes as soon as the reads gather).
 *
 * <p><b>Threads.</b> Made for many reads at once.
 */
public final class GatheringPlugin implements Plugin {
    public static final long PATIENCE_SECONDS = 30;

    private final long size;
    private final CyclicBarrier gathered;

    public GatheringPlugin(long size, int parties) {
        this.size = size;
        this.gathered = new CyclicBarrier(parties);
    }

    @Override public String name() { return "gathering"; }
    @Override public String description() { return "reads that wait for each other"; }

    @Override
    public Handle open(OpenRequest request) {
        return new Handle() {
            @Override public long size() { return size; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) throws NbdException {
                try {
                    gathered.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new NbdException(NbdError.EIO, "the reads did not gather: " + e);
                }
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 0);
                }
            }
        };
    }
}
