package io.nbd4j.plugins.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A read-only shared mapping of a regular file, in windows of {@link #WINDOW} bytes mapped on first
 * use, from which reads are served as views the server sends straight to the socket: the kernel copies
 * from the page cache into the socket once, with no {@code pread} and no copy into a buffer of ours.
 * {@code MAP_SHARED} sees the page cache itself, so writes through any descriptor of the file (this
 * server's {@code pwrite}, another process) are seen by the next view exactly as by {@code pread}.
 *
 * <p>Only the bytes the file held when this mapping was made are offered ({@link #limit}); a read past
 * them, or across two windows, gets {@code null} and is read with {@code pread}. Each view's pages are
 * touched before it is returned ({@link #touch}): a page gone with a shrunk file makes the read a
 * {@code pread} (EIO). If the file shrinks after that, while the view is sent, the kernel's copy into
 * a socket fails with {@code EFAULT} (an {@link IOException}, the connection closes) and Java code
 * reading it gets an {@link InternalError} (the TLS transport turns that into a closed connection too);
 * a page that still exists past the new end reads as zeroes.
 *
 * <p>The first view of more than one page over each part of the file first asks for its pages as one
 * range ({@link Loader}: {@code POSIX_FADV_WILLNEED}), so that touching them finds them in the page
 * cache or on their way; the window notes each {@link #CHUNK} such a view covered whole, and later
 * views within noted chunks only touch. Touching a page the cache does not have makes the kernel read
 * around it instead, the device's whole read-ahead window (8 MiB here) centred on it, whatever lies
 * there: a sparse copy of 100 MiB of data from a file whose pages were not cached read 800 MiB of holes
 * into the cache that way, and cost the server 290 ms of CPU instead of 100. Declining the view so that
 * {@code pread} read it was worse (the kernel's read-ahead on the one descriptor four connections share
 * read 430 MiB); asking on every view cost 28 µs of CPU per 1 MiB read of cached pages, and checking
 * with {@code mincore} first 3.5 µs per 64 KiB read (it takes the process's memory-map lock, which the
 * JVM's own threads contend for). Pages evicted after their chunk was noted are read around again
 * when touched, as before. A view of one page is touched as it is: asking would cost about as much as
 * the read, and read-around is what small reads in sequence need.
 *
 * <p>Threads: {@link #view} is called from any thread; a window is mapped at most once (a thread that
 * loses the race unmaps its own copy). {@link #close} unmaps everything and must come after the last
 * view is done, which the file's reference count ensures (views live until their handle closes).
 */
final class FileMapping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileMapping.class);
    /** Window size: large, so a file of a few GiB is a few mappings; address space is cheap on 64 bits. */
    static final long WINDOW = 1L << 30;
    /** The smallest page size of the platforms served; touching every 4 KiB also touches larger pages. */
    private static final long PAGE = 4096;

    private final String name;
    private final Mapper mapper;
    private final long window;
    private final long limit;
    private final AtomicReferenceArray<Window> windows;
    private volatile boolean failed;
    private volatile boolean closed;
    /** Written by {@link #touch} only on a sum it can never reach: keeps its loads. Races are harmless. */
    @SuppressWarnings("unused")
    private int touched;

    private final Loader loader;

    /** The part of the file whose pages a {@link Loader} asked for once are noted in. */
    static final int CHUNK = 64 << 10;

    /** {@code loaded}: one bit per {@link #CHUNK} of the window that a loaded view covered whole. */
    private record Window(Arena arena, MemorySegment segment, AtomicLongArray loaded) { }

    /** Gets the pages of a view of several pages read as one range, unless the page cache has them. */
    @FunctionalInterface
    interface Loader {
        /** {@code slice} holds the file's bytes from {@code offset}. */
        void load(MemorySegment slice, long offset);
    }

    /** Maps a range of the file read-only into {@code arena} ({@link FileChannel#map}). */
    @FunctionalInterface
    interface Mapper {
        MemorySegment map(long start, long length, Arena arena) throws IOException;
    }

    /** @param limit the file's size now: the mapping never offers bytes past it */
    FileMapping(String name, Mapper mapper, Loader loader, long limit) {
        this(name, mapper, loader, limit, WINDOW);
    }

    /** With another window size (a multiple of the page size), so tests can cross windows in small files. */
    FileMapping(String name, Mapper mapper, Loader loader, long limit, long window) {
        this.name = name;
        this.mapper = mapper;
        this.loader = loader;
        this.window = window;
        this.limit = limit;
        this.windows = new AtomicReferenceArray<>((int) ((limit + window - 1) / window));
    }

    /** The bytes at {@code offset} as a read-only view, or {@code null} when this mapping cannot offer them. */
    ByteBuffer view(long offset, int length) {
        long end = offset + length;
        long index = offset / window;
        if (failed || closed || length <= 0 || offset < 0 || end > limit || (end - 1) / window != index) {
            return null;
        }
        Window w = windows.get((int) index);
        if (w == null) {
            w = map((int) index);
            if (w == null) {
                return null;
            }
        }
        long start = offset - index * window;
        MemorySegment slice = w.segment.asSlice(start, length);
        if (length > PAGE && !loadedBefore(w.loaded, start, length)) {
            loader.load(slice, offset);
            noteLoaded(w.loaded, start, length);
        }
        return touch(slice, offset) ? slice.asByteBuffer() : null;
    }

    /** Whether every chunk the window's range {@code [start, start + length)} touches is noted. */
    private static boolean loadedBefore(AtomicLongArray loaded, long start, int length) {
        for (long c = start / CHUNK, last = (start + length - 1) / CHUNK; c <= last; c++) {
            if ((loaded.getPlain((int) (c >>> 6)) & (1L << c)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Notes the chunks the window's range {@code [start, start + length)} covers whole. */
    private static void noteLoaded(AtomicLongArray loaded, long start, int length) {
        for (long c = (start + CHUNK - 1) / CHUNK, end = (start + length) / CHUNK; c < end; c++) {
            loaded.getAndAccumulate((int) (c >>> 6), 1L << c, (a, b) -> a | b);
        }
    }

    /**
     * Reads one byte of every page of {@code slice} (at file offset {@code offset}), so that a page not
     * in memory is read from disk here, before the server takes the connection's write lock to send the
     * view (else every reply of the connection would wait behind that disk read), and so that a page
     * gone with a shrunk file is found now: the read gets {@code null} and goes to {@code pread}, which
     * reports EIO. A page resident and mapped costs one load.
     */
    private boolean touch(MemorySegment slice, long offset) {
        long length = slice.byteSize();
        int sum = 0;
        try {
            for (long at = 0; at < length; at += PAGE - (offset + at) % PAGE) {
                sum += slice.get(ValueLayout.JAVA_BYTE, at);
            }
        } catch (InternalError e) {
            // the JVM's answer to SIGBUS on a mapped page past the file's end
            return false;
        }
        // The loads must not be dropped as unused, but a store on every read would bounce this object's
        // cache line (which every request reads) between cores; no sum of one byte per page of a view
        // under 2 GiB reaches Integer.MIN_VALUE, and the compiler cannot know it.
        if (sum == Integer.MIN_VALUE) {
            touched = sum;
        }
        return true;
    }

    private Window map(int index) {
        long start = index * window;
        long length = Math.min(window, limit - start);
        Arena arena = Arena.ofShared();
        Window fresh;
        try {
            long chunks = (length + CHUNK - 1) / CHUNK;
            fresh = new Window(arena, mapper.map(start, length, arena), new AtomicLongArray((int) ((chunks + 63) / 64)));
        } catch (IOException | RuntimeException e) {
            arena.close();
            // reads still work with pread; the mapping is not tried again
            failed = true;
            LOG.info("{}: cannot map the file ({}); reading with pread", name, e.toString());
            return null;
        }
        if (!windows.compareAndSet(index, null, fresh)) {
            arena.close();
            return windows.get(index);
        }
        if (closed) {
            // close() ran meanwhile and may have missed this window
            unmap(index);
            return null;
        }
        return fresh;
    }

    private void unmap(int index) {
        Window w = windows.getAndSet(index, null);
        if (w != null) {
            w.arena.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < windows.length(); i++) {
            unmap(i);
        }
    }
}
