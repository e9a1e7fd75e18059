package io.nbd4j.server;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test plugin: a byte array shared by all connections, with capabilities the test chooses, that
 * counts every call by name and records the open requests it saw. Extents report each 4 KiB block
 * that is all zeroes as a hole.
 */
class RamDisk implements Plugin {
    static final int BLOCK = 4096;

    final byte[] data;
    volatile boolean canWrite = true;
    volatile boolean canFlush = true;
    volatile boolean canTrim = true;
    volatile boolean canZero = true;
    volatile boolean zeroThrowsNotSupported;
    volatile FuaMode fua = FuaMode.NATIVE;
    volatile CacheMode cache = CacheMode.NONE;
    volatile boolean canExtents = true;
    volatile boolean multiConn = true;
    volatile boolean failOpen;
    volatile BlockSize blockSize;
    volatile boolean blockSizeEnforced = true;
    volatile String description = "a test disk";
    volatile String defaultExport = "";
    volatile List<Export> exports;
    volatile ThreadModel threadModel = ThreadModel.PARALLEL;
    volatile IOException failNextRead;
    /** Whether reads are offered as views of {@link #data} ({@link Handle#readView}). */
    volatile boolean offerViews;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<OpenRequest> opens = new CopyOnWriteArrayList<>();
    final List<Integer> writeFlags = new CopyOnWriteArrayList<>();
    final List<Integer> zeroFlags = new CopyOnWriteArrayList<>();

    RamDisk(int size) {
        data = new byte[size];
    }

    int calls(String name) {
        AtomicInteger n = calls.get(name);
        return n == null ? 0 : n.get();
    }

    void count(String name) {
        calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override public String name() { return "ramdisk"; }
    @Override public String description() { return "test RAM disk"; }
    @Override public ThreadModel threadModel() { return threadModel; }

    @Override
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        count("listExports");
        return exports != null ? exports : Plugin.super.listExports(readOnly, tls);
    }

    @Override
    public String defaultExport(boolean readOnly, boolean tls) {
        count("defaultExport");
        return defaultExport;
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        count("open");
        opens.add(request);
        if (failOpen) {
            throw new NbdException(NbdError.EIO, "no such disk: " + request.exportName());
        }
        return new DiskHandle();
    }

    /** Hook for subclasses that observe data calls (entered and left). */
    void enter(String call) {}

    void leave(String call) {}

    class DiskHandle implements Handle {
        @Override public void prepare(boolean readOnly) { count("prepare"); }
        @Override public void finish() { count("finish"); }
        @Override public void close() { count("close"); }

        @Override public long size() { count("size"); return data.length; }
        @Override public String description() { count("description"); return description; }
        @Override public BlockSize blockSize() { count("blockSize"); return blockSize; }
        @Override public boolean blockSizeEnforced() { count("blockSizeEnforced"); return blockSizeEnforced; }
        @Override public boolean canWrite() { count("canWrite"); return canWrite; }
        @Override public boolean canFlush() { count("canFlush"); return canFlush; }
        @Override public boolean isRotational() { count("isRotational"); return false; }
        @Override public boolean canTrim() { count("canTrim"); return canTrim; }
        @Override public boolean canZero() { count("canZero"); return canZero; }
        @Override public boolean canFastZero() { count("canFastZero"); return true; }
        @Override public FuaMode canFua() { count("canFua"); return fua; }
        @Override public CacheMode canCache() { count("canCache"); return cache; }
        @Override public boolean canExtents() { count("canExtents"); return canExtents; }
        @Override public boolean canMultiConn() { count("canMultiConn"); return multiConn; }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
            enter("pread");
            try {
                count("pread");
                IOException failure = failNextRead;
                if (failure != null) {
                    failNextRead = null;
                    throw failure;
                }
                synchronized (data) {
                    buffer.put(data, (int) offset, buffer.remaining());
                }
            } finally {
                leave("pread");
            }
        }

        @Override
        public ByteBuffer readView(long offset, int length) {
            count("readView");
            return offerViews ? ByteBuffer.wrap(data).slice((int) offset, length).asReadOnlyBuffer() : null;
        }

        @Override
        public void pwrite(ByteBuffer buffer, long offset, int flags) {
            enter("pwrite");
            try {
                count("pwrite");
                writeFlags.add(flags);
                synchronized (data) {
                    buffer.get(data, (int) offset, buffer.remaining());
                }
            } finally {
                leave("pwrite");
            }
        }

        @Override
        public void flush(int flags) {
            enter("flush");
            count("flush");
            leave("flush");
        }

        @Override
        public void trim(long length, long offset, int flags) {
            count("trim");
            synchronized (data) {
                java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
            }
        }

        @Override
        public void zero(long length, long offset, int flags) throws IOException {
            count("zero");
            zeroFlags.add(flags);
            if (zeroThrowsNotSupported) {
                throw new NbdException(NbdError.ENOTSUP, "zero is not supported today");
            }
            synchronized (data) {
                java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
            }
        }

        @Override
        public void cache(long length, long offset, int flags) {
            count("cache");
        }

        @Override
        public void extents(long length, long offset, int flags, Extents extents) throws IOException {
            count("extents");
            long start = offset - offset % BLOCK;
            long end = Math.min(data.length, offset + length);
            List<long[]> out = new ArrayList<>();
            synchronized (data) {
                for (long b = start; b < end; b += BLOCK) {
                    int n = (int) Math.min(BLOCK, data.length - b);
                    boolean zero = true;
                    for (int i = 0; i < n && zero; i++) {
                        zero = data[(int) b + i] == 0;
                    }
                    out.add(new long[] {b, n, zero ? Extents.HOLE | Extents.ZERO : Extents.DATA});
                }
            }
            for (long[] e : out) {
                extents.add(e[0], e[1], (int) e[2]);
            }
        }
    }
}
