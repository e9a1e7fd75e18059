package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plain RAM disk shared by all connections (no caches of its own), which counts calls: reads, writes,
 * FUA writes and flushes. It also keeps the content as of the last flush ({@link #durable}) and reports
 * never-written 4 KiB pages as holes. Its writes can be made to fail.
 *
 * <p>Threads: every call synchronizes on the plugin.
 */
public final class CountingMemoryPlugin implements Plugin {
    private static final int PAGE = 4096;

    private final byte[] data;
    private final byte[] durable;
    private final BitSet written = new BitSet();
    private final FuaMode fua;
    public final LongAdder reads = new LongAdder();
    public final LongAdder writes = new LongAdder();
    public final LongAdder fuaWrites = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    /**
     * When set, pread fills the buffer without moving its position, as the SPI allows and the sh plugin
     * does; otherwise it advances the position like FileChannel.
     */
    public volatile boolean preadKeepsPosition;
    private final AtomicInteger failWrites = new AtomicInteger();
    /** Whether it advertises multi-conn, which it may: every connection sees the same bytes at once. */
    public volatile boolean multiConn;

    public CountingMemoryPlugin(int size, FuaMode fua) {
        this.data = new byte[size];
        this.durable = new byte[size];
        this.fua = fua;
    }

    @Override public String name() { return "counting-memory"; }
    @Override public String description() { return "a counting RAM disk for tests"; }

    /** Makes the next {@code n} writes fail with EIO. */
    public void failNextWrites(int n) {
        failWrites.set(n);
    }

    /** The byte at {@code offset} as the plugin holds it now. */
    public synchronized byte at(long offset) {
        return data[(int) offset];
    }

    /** The byte at {@code offset} as of the last flush (or FUA write). */
    public synchronized byte durable(long offset) {
        return durable[(int) offset];
    }

    /** The whole disk as the plugin holds it now. */
    public synchronized byte[] content() {
        return data.clone();
    }

    /** The whole disk as of the last flush (and FUA writes since). */
    public synchronized byte[] durableContent() {
        return durable.clone();
    }

    @Override
    public Handle open(OpenRequest request) {
        return new Handle() {
            @Override public long size() { return data.length; }
            @Override public boolean canWrite() { return true; }
            @Override public boolean canFlush() { return true; }
            @Override public boolean canTrim() { return true; }
            @Override public FuaMode canFua() { return fua; }
            @Override public boolean canExtents() { return true; }
            @Override public boolean canMultiConn() { return multiConn; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) {
                synchronized (CountingMemoryPlugin.this) {
                    reads.increment();
                    if (preadKeepsPosition) {
                        buffer.put(buffer.position(), data, (int) offset, buffer.remaining());
                    } else {
                        buffer.put(data, (int) offset, buffer.remaining());
                    }
                }
            }

            @Override
            public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
                synchronized (CountingMemoryPlugin.this) {
                    if (failWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new NbdException(NbdError.EIO, "write failed (injected)");
                    }
                    writes.increment();
                    int n = buffer.remaining();
                    buffer.get(data, (int) offset, n);
                    written.set((int) (offset / PAGE), (int) ((offset + n - 1) / PAGE) + 1);
                    if (Flags.has(flags, Flags.FUA)) {
                        fuaWrites.increment();
                        System.arraycopy(data, (int) offset, durable, (int) offset, n);
                    }
                }
            }

            @Override
            public void trim(long length, long offset, int flags) {
                synchronized (CountingMemoryPlugin.this) {
                    java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
                }
            }

            @Override
            public void flush(int flags) {
                synchronized (CountingMemoryPlugin.this) {
                    flushes.increment();
                    System.arraycopy(data, 0, durable, 0, data.length);
                }
            }

            @Override
            public void extents(long length, long offset, int flags, Extents extents) throws IOException {
                synchronized (CountingMemoryPlugin.this) {
                    for (long pos = offset - offset % PAGE; pos < offset + length; pos += PAGE) {
                        extents.add(pos, PAGE, written.get((int) (pos / PAGE)) ? Extents.DATA : Extents.HOLE | Extents.ZERO);
                    }
                }
            }
        };
    }
}
