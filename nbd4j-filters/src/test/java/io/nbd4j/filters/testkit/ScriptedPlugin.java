package io.nbd4j.filters.testkit;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin to put under a filter in its tests: a RAM disk shared by every connection that records
 * each call reaching it as a short line, answers the capabilities a test sets, and fails the calls a
 * test chooses.
 *
 * <pre>{@code
 * ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fua(FuaMode.NATIVE);
 * disk.failNext("pread", 1, NbdError.EIO);
 * ... serve it, drive a client ...
 * assertThat(disk.calls()).containsExactly("pwrite 0+512 fua", "flush");
 * }</pre>
 *
 * <p>Lines: {@code pread 0+512}, {@code pwrite 0+512 fua}, {@code zero 8192+4096 fua may_trim fast},
 * {@code trim 0+4096}, {@code flush}, {@code extents 0+65536 req_one}, {@code cache 0+4096};
 * {@link #events()} also has {@code open export=NAME}, {@code prepare}, {@code finish} and {@code close}.
 * Extents come from the disk's 4 KiB pages: written ones are data, the rest (never written, trimmed,
 * or zeroed with {@code may_trim}) holes that read as zeroes. A failed call is recorded too, with
 * {@code failed} at the end.
 *
 * <p><b>Threads.</b> Thread-safe; data calls synchronize on the disk's content, so a test sees no
 * torn writes, while {@link #mostCallsAtOnce()} counts how many calls were inside at once (before
 * that lock), which is what a filter's serialization shows in.
 */
public final class ScriptedPlugin implements Plugin {
    private static final int PAGE = 4096;

    private final byte[] data;
    private final BitSet allocated = new BitSet();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<OpenRequest> opens = new CopyOnWriteArrayList<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Periodic> periodic = new ConcurrentHashMap<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private volatile boolean canWrite = true;
    private volatile boolean canFlush = true;
    private volatile boolean canTrim = true;
    private volatile boolean canZero = true;
    private volatile boolean canFastZero = true;
    private volatile boolean canExtents = true;
    private volatile boolean multiConn = true;
    private volatile FuaMode fua = FuaMode.NATIVE;
    private volatile CacheMode cache = CacheMode.NATIVE;
    private volatile ThreadModel threadModel = ThreadModel.PARALLEL;
    private volatile BlockSize blockSize;
    private volatile List<Export> exports = List.of(new Export(""));

    private record Failure(int remaining, NbdError error) {}

    private record Periodic(int period, NbdError error, AtomicInteger calls) {
        boolean due() {
            return calls.incrementAndGet() % period == 0;
        }
    }

    /** A disk of {@code size} bytes of zeroes, every capability on, FUA native. */
    public ScriptedPlugin(int size) {
        this.data = new byte[size];
    }

    @Override public String name() { return "scripted"; }
    @Override public String description() { return "a recording RAM disk for filter tests"; }
    @Override public ThreadModel threadModel() { return threadModel; }
    @Override public List<Export> listExports(boolean readOnly, boolean tls) { return exports; }

    // ---- what it answers ----

    public ScriptedPlugin canWrite(boolean v) { canWrite = v; return this; }
    public ScriptedPlugin canFlush(boolean v) { canFlush = v; return this; }
    public ScriptedPlugin canTrim(boolean v) { canTrim = v; return this; }
    public ScriptedPlugin canZero(boolean v) { canZero = v; return this; }
    public ScriptedPlugin canFastZero(boolean v) { canFastZero = v; return this; }
    public ScriptedPlugin canExtents(boolean v) { canExtents = v; return this; }
    public ScriptedPlugin multiConn(boolean v) { multiConn = v; return this; }
    public ScriptedPlugin fua(FuaMode v) { fua = v; return this; }
    public ScriptedPlugin cache(CacheMode v) { cache = v; return this; }
    public ScriptedPlugin threadModel(ThreadModel v) { threadModel = v; return this; }
    public ScriptedPlugin blockSize(BlockSize v) { blockSize = v; return this; }

    /** The exports {@code NBD_OPT_LIST} shows (by default the one default export). */
    public ScriptedPlugin exports(String... names) {
        exports = Arrays.stream(names).map(Export::new).toList();
        return this;
    }

    /**
     * Makes the next {@code times} calls named {@code call} ({@code open}, {@code prepare},
     * {@code pread}, {@code pwrite}, {@code zero}, {@code trim}, {@code flush}, {@code extents},
     * {@code cache}) fail with {@code error}.
     */
    public ScriptedPlugin failNext(String call, int times, NbdError error) {
        failures.put(call, new Failure(times, error));
        return this;
    }

    /**
     * Makes every {@code period}-th call named {@code call} fail with {@code error}, from now on: a
     * disk that fails now and then. Counted over all connections.
     */
    public ScriptedPlugin failEvery(String call, int period, NbdError error) {
        periodic.put(call, new Periodic(period, error, new AtomicInteger()));
        return this;
    }

    /** Puts bytes on the disk without recording a call, as if they had always been there. */
    public synchronized ScriptedPlugin fill(long offset, byte[] bytes) {
        System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
        markAllocated(offset, bytes.length, true);
        return this;
    }

    // ---- what it saw ----

    /** The data calls that reached the plugin, in order, one line each. */
    public List<String> calls() {
        return events.stream().filter(e -> !isLifecycle(e)).toList();
    }

    /** Every call that reached the plugin, lifecycle included. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The requests the plugin was opened with, in order. */
    public List<OpenRequest> opens() {
        return List.copyOf(opens);
    }

    /** Forgets the calls seen so far (the disk's content stays). */
    public void clearCalls() {
        events.clear();
    }

    /** The most calls that were inside the plugin at the same time. */
    public int mostCallsAtOnce() {
        return mostInside.get();
    }

    /** The disk's bytes now. */
    public synchronized byte[] read(long offset, int length) {
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    private static boolean isLifecycle(String event) {
        return event.startsWith("open") || event.equals("prepare") || event.equals("finish") || event.equals("close");
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        opens.add(request);
        String line = "open export=" + request.exportName() + (request.readOnly() ? " readonly" : "");
        failIfScripted("open", line);
        events.add(line);
        return new DiskHandle();
    }

    /** Throws, recording {@code line} as failed, if a failure was scripted for {@code call}. */
    private void failIfScripted(String call, String line) throws NbdException {
        Failure[] due = new Failure[1];
        failures.computeIfPresent(call, (k, f) -> {
            due[0] = f;
            return f.remaining() <= 1 ? null : new Failure(f.remaining() - 1, f.error());
        });
        if (due[0] != null) {
            events.add(line + " failed");
            throw new NbdException(due[0].error(), call + " failed (scripted)");
        }
        Periodic p = periodic.get(call);
        if (p != null && p.due()) {
            events.add(line + " failed");
            throw new NbdException(p.error(), call + " failed (every " + p.period() + ")");
        }
    }

    private final class DiskHandle implements Handle {
        @Override public void prepare(boolean readOnly) throws IOException { lifecycle("prepare"); }
        @Override public void finish() throws IOException { lifecycle("finish"); }
        @Override public void close() { events.add("close"); }

        @Override public long size() { return data.length; }
        @Override public BlockSize blockSize() { return blockSize; }
        @Override public boolean canWrite() { return canWrite; }
        @Override public boolean canFlush() { return canFlush; }
        @Override public boolean canTrim() { return canTrim; }
        @Override public boolean canZero() { return canZero; }
        @Override public boolean canFastZero() { return canFastZero; }
        @Override public FuaMode canFua() { return fua; }
        @Override public CacheMode canCache() { return cache; }
        @Override public boolean canExtents() { return canExtents; }
        @Override public boolean canMultiConn() { return multiConn; }

        private void lifecycle(String call) throws NbdException {
            failIfScripted(call, call);
            events.add(call);
        }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
            int n = buffer.remaining();
            call("pread", range(offset, n, flags), () -> buffer.put(data, (int) offset, n));
        }

        @Override
        public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
            int n = buffer.remaining();
            call("pwrite", range(offset, n, flags), () -> {
                buffer.get(data, (int) offset, n);
                markAllocated(offset, n, true);
            });
        }

        @Override
        public void zero(long length, long offset, int flags) throws IOException {
            call("zero", range(offset, length, flags), () -> {
                Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
                markAllocated(offset, length, !Flags.has(flags, Flags.MAY_TRIM));
            });
        }

        @Override
        public void trim(long length, long offset, int flags) throws IOException {
            call("trim", range(offset, length, flags), () -> {
                Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
                markAllocated(offset, length, false);
            });
        }

        @Override
        public void flush(int flags) throws IOException {
            call("flush", "", () -> {});
        }

        @Override
        public void cache(long length, long offset, int flags) throws IOException {
            call("cache", range(offset, length, flags), () -> {});
        }

        @Override
        public void extents(long length, long offset, int flags, Extents extents) throws IOException {
            List<long[]> pages = new ArrayList<>();
            call("extents", range(offset, length, flags), () -> {
                long end = Math.min(offset + length, data.length);
                for (long page = offset - offset % PAGE; page < end; page += PAGE) {
                    pages.add(new long[] {page, Math.min(PAGE, data.length - page), allocated.get((int) (page / PAGE)) ? 1 : 0});
                }
            });
            for (long[] p : pages) {
                extents.add(p[0], p[1], p[2] == 1 ? Extents.DATA : Extents.HOLE | Extents.ZERO);
                if (Flags.has(flags, Flags.REQ_ONE)) {
                    return;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws IOException;
    }

    private void call(String name, String arguments, Body body) throws IOException {
        String line = arguments.isEmpty() ? name : name + " " + arguments;
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
            failIfScripted(name, line);
            events.add(line);
            synchronized (this) {
                body.run();
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    private static String range(long offset, long length, int flags) {
        StringBuilder line = new StringBuilder().append(offset).append('+').append(length);
        if (Flags.has(flags, Flags.FUA)) {
            line.append(" fua");
        }
        if (Flags.has(flags, Flags.MAY_TRIM)) {
            line.append(" may_trim");
        }
        if (Flags.has(flags, Flags.FAST_ZERO)) {
            line.append(" fast");
        }
        if (Flags.has(flags, Flags.REQ_ONE)) {
            line.append(" req_one");
        }
        return line.toString();
    }

    /** Pages wholly inside the range become {@code allocated}; a write also allocates pages it touches in part. */
    private void markAllocated(long offset, long length, boolean allocate) {
        if (length == 0) {
            return;
        }
        if (allocate) {
            allocated.set((int) (offset / PAGE), (int) ((offset + length - 1) / PAGE) + 1);
        } else {
            long first = (offset + PAGE - 1) / PAGE;
            long last = (offset + length) / PAGE;
            if (offset + length == data.length) {
                last = (data.length + PAGE - 1) / PAGE;
            }
            if (last > first) {
                allocated.clear((int) first, (int) last);
            }
        }
    }
}
