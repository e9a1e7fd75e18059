package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * A RAM disk whose next read of a chosen offset stops inside the plugin until the test lets it go: the
 * way to hold a filter's read-modify-write between its read and its write, and show that another
 * request waits for it (rather than racing it) without timing anything.
 *
 * <pre>{@code
 * GatedDisk.Gate gate = disk.gateRead(0);
 * Thread rmw = Thread.ofPlatform().start(() -> top.pwrite(part, 4, 0));
 * gate.awaitEntered();
 * Thread whole = Thread.ofPlatform().start(() -> top.pwrite(block, 0, 0));
 * GatedDisk.awaitBlockedOrDone(whole);   // must be blocked, not done
 * gate.open();
 * }</pre>
 *
 * <p><b>Threads.</b> Thread-safe; data calls synchronize on the content, but a gated read waits outside.
 */
public final class GatedDisk implements Plugin {
    private final byte[] data;
    private volatile Gate gate;

    /** A read held inside the plugin. */
    public static final class Gate {
        private final long offset;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        private Gate(long offset) {
            this.offset = offset;
        }

        /** Waits until the gated read is inside the plugin. */
        public void awaitEntered() throws InterruptedException {
            entered.await();
        }

        /** Lets the gated read go on. */
        public void open() {
            open.countDown();
        }
    }

    public GatedDisk(int size) {
        this.data = new byte[size];
    }

    /** Holds the next read that starts at {@code offset}. */
    public Gate gateRead(long offset) {
        Gate g = new Gate(offset);
        gate = g;
        return g;
    }

    /** The disk's bytes now. */
    public synchronized byte[] content() {
        return data.clone();
    }

    /**
     * Waits until {@code thread} either blocks (waits for a lock or a condition) or ends, and says
     * which. A busy wait, but on an event, not on time.
     *
     * @return true if it blocked, false if it ended
     */
    public static boolean awaitBlockedOrDone(Thread thread) {
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                return false;
            }
            if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
                return true;
            }
            Thread.onSpinWait();
        }
    }

    @Override public String name() { return "gated"; }
    @Override public String description() { return "a RAM disk that can hold a read"; }

    @Override
    public Handle open(OpenRequest request) {
        return new Handle() {
            @Override public long size() { return data.length; }
            @Override public boolean canWrite() { return true; }
            @Override public boolean canZero() { return false; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                Gate g = gate;
                if (g != null && g.offset == offset) {
                    gate = null;
                    g.entered.countDown();
                    try {
                        g.open.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted at the gate", e);
                    }
                }
                synchronized (GatedDisk.this) {
                    buffer.put(data, (int) offset, buffer.remaining());
                }
            }

            @Override
            public void pwrite(ByteBuffer buffer, long offset, int flags) {
                synchronized (GatedDisk.this) {
                    buffer.get(data, (int) offset, buffer.remaining());
                }
            }
        };
    }
}
