package io.nbd4j.plugins.info;

import io.nbd4j.plugins.common.InProcessDiskHandle;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A 12-byte read-only disk that shows a time measured afresh for every read: seconds as a 64-bit and
 * microseconds as a 32-bit big-endian number, nbdkit's layout. A client that wants the two fields to
 * agree reads all 12 bytes in one request. Any number of threads; the supplier must allow that too.
 */
final class ClockHandle extends InProcessDiskHandle {
    static final int SIZE = 12;

    private final Supplier<Duration> clock;

    ClockHandle(Supplier<Duration> clock) {
        super(SIZE);
        this.clock = clock;
    }

    /** The time since {@code start}, which may be negative if the wall clock was set back. */
    static Supplier<Duration> since(Instant start) {
        return () -> Duration.between(start, Instant.now());
    }

    /** The time since the Epoch. */
    static Supplier<Duration> wallClock() {
        return since(Instant.EPOCH);
    }

    @Override
    public boolean canMultiConn() {
        return false;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        Duration now = clock.get();
        ByteBuffer image = ByteBuffer.allocate(SIZE);
        image.putLong(0, now.getSeconds());
        image.putInt(8, now.getNano() / 1000);
        buffer.put(buffer.position(), image, (int) offset, buffer.remaining());
    }
}
