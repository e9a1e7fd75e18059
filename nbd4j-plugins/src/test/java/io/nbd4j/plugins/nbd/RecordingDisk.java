package io.nbd4j.plugins.nbd;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream plugin for the proxy's tests: a 1 MiB RAM disk whose capabilities a test sets, that
 * records every data call with its flags and the export each connection asked for, and that fails
 * writes at offset {@link #FAILING_OFFSET} with ENOSPC. Extents: data up to {@link #HOLE_START}, then a hole
 * (which the server may answer reads of without asking: tests write below it).
 * Threads: any; the records are concurrent collections.
 */
final class RecordingDisk implements Plugin {
    static final int SIZE = 1 << 20;
    static final long FAILING_OFFSET = 512 * 1024;
    static final int HOLE_START = 768 * 1024;

    /** One data call as the upstream saw it. */
    record Call(String op, long offset, long length, int flags) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> openedExports = new CopyOnWriteArrayList<>();
    final AtomicInteger openConnections = new AtomicInteger();
    private final byte[] disk = new byte[SIZE];
    private final ConcurrentHashMap<String, Boolean> capabilities = new ConcurrentHashMap<>();
    volatile String description = "recording disk";
    volatile BlockSize blockSize = new BlockSize(512, 4096, 1 << 20);
    volatile List<String> exports = List.of("");

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String description() {
        return "test upstream";
    }

    RecordingDisk with(String capability, boolean value) {
        capabilities.put(capability, value);
        return this;
    }

    private boolean can(String capability) {
        return capabilities.getOrDefault(capability, true);
    }

    @Override
    public List<io.nbd4j.spi.Export> listExports(boolean readOnly, boolean tls) {
        return exports.stream().map(name -> new io.nbd4j.spi.Export(name, "about " + name)).toList();
    }

    @Override
    public Handle open(OpenRequest request) {
        openedExports.add(request.exportName());
        openConnections.incrementAndGet();
        return new Handle() {
            @Override
            public long size() {
                return SIZE;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public BlockSize blockSize() {
                return blockSize;
            }

            @Override
            public boolean canWrite() {
                return can("write");
            }

            @Override
            public boolean canFlush() {
                return can("flush");
            }

            @Override
            public boolean isRotational() {
                return can("rotational");
            }

            @Override
            public boolean canTrim() {
                return can("trim");
            }

            @Override
            public boolean canZero() {
                return can("zero");
            }

            @Override
            public boolean canFastZero() {
                return can("fast-zero");
            }

            @Override
            public FuaMode canFua() {
                return can("fua") ? FuaMode.NATIVE : FuaMode.NONE;
            }

            @Override
            public CacheMode canCache() {
                return can("cache") ? CacheMode.NATIVE : CacheMode.NONE;
            }

            @Override
            public boolean canExtents() {
                return can("extents");
            }

            @Override
            public boolean canMultiConn() {
                return can("multi-conn");
            }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) {
                calls.add(new Call("pread", offset, buffer.remaining(), flags));
                synchronized (disk) {
                    buffer.put(disk, (int) offset, buffer.remaining());
                }
            }

            @Override
            public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
                calls.add(new Call("pwrite", offset, buffer.remaining(), flags));
                if (offset == FAILING_OFFSET) {
                    throw new NbdException(NbdError.ENOSPC, "no room at " + offset);
                }
                synchronized (disk) {
                    buffer.get(disk, (int) offset, buffer.remaining());
                }
            }

            @Override
            public void flush(int flags) {
                calls.add(new Call("flush", 0, 0, flags));
            }

            @Override
            public void trim(long length, long offset, int flags) {
                calls.add(new Call("trim", offset, length, flags));
            }

            @Override
            public void zero(long length, long offset, int flags) {
                calls.add(new Call("zero", offset, length, flags));
                synchronized (disk) {
                    java.util.Arrays.fill(disk, (int) offset, (int) (offset + length), (byte) 0);
                }
            }

            @Override
            public void cache(long length, long offset, int flags) {
                calls.add(new Call("cache", offset, length, flags));
            }

            @Override
            public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
                calls.add(new Call("extents", offset, length, flags));
                extents.add(0, HOLE_START, Extents.DATA);
                extents.add(HOLE_START, SIZE - HOLE_START, Extents.HOLE | Extents.ZERO);
            }

            @Override
            public void close() {
                openConnections.decrementAndGet();
            }
        };
    }

    /** The calls of kind {@code op}, in order. */
    List<Call> callsOf(String op) {
        return calls.stream().filter(c -> c.op().equals(op)).toList();
    }
}
