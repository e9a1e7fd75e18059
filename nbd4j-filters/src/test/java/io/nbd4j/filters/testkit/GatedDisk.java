package io.nbd4j.filters.testkit;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * A RAM disk whose next read (or cache request) of a chosen offset stops inside the plugin until the
 * test lets it go: the way to hold a filter's read-modify-write between its read and its write, or a
 * prefetch in the middle, and show what another request does meanwhile, without timing anything. It
 * records its reads and cache requests ({@code pread 0+512}, {@code cache 0+4096}) and can answer
 * that it caches natively.
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
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile Gate gate;
    private volatile boolean cachesNatively;

    /** A read held inside the plugin. */
    public static final class Gate {
        private final String call;
        private final long offset;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        private Gate(String call, long offset) {
            this.call = call;
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
        return gate("pread", offset);
    }

    /** Holds the next cache request that starts at {@code offset}. */
    public Gate gateCache(long offset) {
        return gate("cache", offset);
    }

    private Gate gate(String call, long offset) {
        Gate g = new Gate(call, offset);
        gate = g;
        return g;
    }

    /** Answer that cache requests are native (they do nothing but being recorded). */
    public GatedDisk cachesNatively() {
        cachesNatively = true;
        return this;
    }

    /**
     * Waits until the calls so far include {@code line} (a busy wait on an event, not on time; the
     * test's timeout interrupts it).
     */
    public void awaitCall(String line) {
        awaitUntil(() -> calls.contains(line));
    }

    /** Waits until at least {@code count} calls were made. */
    public void awaitCalls(int count) {
        awaitUntil(() -> calls.size() >= count);
    }

    private static void awaitUntil(BooleanSupplier event) {
        while (!event.getAsBoolean()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for a call to the disk");
            }
            Thread.onSpinWait();
        }
    }

    /** The reads and cache requests so far, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Stops in the plugin if the gate is set for this call and offset. */
    private void passGate(String call, long offset) throws IOException {
        Gate g = gate;
        if (g != null && g.call.equals(call) && g.offset == offset) {
            gate = null;
            g.entered.countDown();
            try {
                g.open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate", e);
            }
        }
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

            @Override public CacheMode canCache() { return cachesNatively ? CacheMode.NATIVE : CacheMode.NONE; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                calls.add("pread " + offset + "+" + buffer.remaining());
                passGate("pread", offset);
                synchronized (GatedDisk.this) {
                    buffer.put(data, (int) offset, buffer.remaining());
                }
            }

            @Override
            public void cache(long length, long offset, int flags) throws IOException {
                calls.add("cache " + offset + "+" + length);
                passGate("cache", offset);
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
