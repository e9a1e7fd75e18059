package io.nbd4j.plugins.file;

import io.nbd4j.plugins.file.linux.Errno;
import io.nbd4j.plugins.file.linux.ErrnoException;
import io.nbd4j.plugins.file.linux.Linux;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * An open regular file or block device: positional I/O, flush, and the sparse-file operations
 * (extents, hole punching, fast zeroing) where the file system offers them.
 *
 * <p><b>Two descriptors, one inode.</b> On Linux the file is opened with {@code open(2)}/{@code openat(2)}
 * through FFM, which gives a descriptor number and lets directory mode insist on {@code O_NOFOLLOW}.
 * A {@link FileChannel} is also opened on {@code /proc/self/fd/N}, which is the very inode of that
 * descriptor (no second path lookup, so no race with a rename). Reads and writes of direct buffers
 * (every buffer the server passes) are {@code pread}/{@code pwrite} on the native descriptor: since
 * JDK 25 a virtual thread in a buffered channel read or write keeps its carrier just as it does in a
 * native call (the JDK adds carriers only around {@code O_DIRECT} I/O and {@code force}), so the
 * channel added nothing there but its interruptible-channel bookkeeping, measured at over a tenth of
 * the server's CPU time on 4 KiB writes. The channel serves flush ({@code force}, during which the JDK
 * lends the scheduler another carrier, so a slow {@code fdatasync} holds none), heap buffers and the
 * size; the native descriptor also serves {@code lseek} queries, {@code fallocate},
 * {@code posix_fadvise}, {@code sync_file_range} and ioctls.
 * The price of two descriptions of one file: advice Linux keeps per open file description
 * ({@code POSIX_FADV_RANDOM}, {@code SEQUENTIAL}) does not reach the channel's read-ahead, while advice on
 * the page cache ({@code WILLNEED}, {@code DONTNEED}) and {@code fdatasync} act on the inode and do.
 * Elsewhere (no FFM binding) only the channel exists: extents report everything as data, trim does
 * nothing, zero falls back.
 *
 * <p><b>Threads.</b> Every method may be called from many threads at once. Reads and writes are
 * positional and never use a shared file offset; {@code lseek(SEEK_DATA/SEEK_HOLE)} moves the native
 * descriptor's offset, which nothing reads, so concurrent queries need no lock. Capability flags are
 * volatile and only ever change from "try it" to "unsupported". If an interrupted thread closes the
 * channel (as {@link java.nio.channels.InterruptibleChannel} does), the channel is reopened under this
 * object's monitor so other connections keep working.
 */
public final class DiskFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskFile.class);

    private final String name;
    private final int fd;
    private final ChannelOpener opener;
    private final boolean writable;
    private final boolean blockDevice;
    private final boolean rotational;
    /** Block devices: the device zeroes in hardware, so FALLOC_FL_ZERO_RANGE never degrades to writing. */
    private final boolean zeroOffload;
    private final Object identity;
    private volatile FileChannel channel;
    private final WriteEviction eviction;
    /** Regular files: reads served as views of the page cache ({@link #view}); null for block devices. */
    private final FileMapping mapping;
    private volatile boolean closed;

    private final boolean seekDataWorks;
    private volatile boolean punchHoleWorks;
    private volatile boolean zeroRangeWorks;
    private volatile boolean blkZeroOutWorks;
    private volatile boolean blkDiscardWorks;

    @FunctionalInterface
    private interface ChannelOpener {
        FileChannel open(boolean writable) throws IOException;
    }

    @FunctionalInterface
    private interface NativeOpener {
        int open(int accessMode) throws ErrnoException;
    }

    /**
     * The identity two opens of the same inode with the same access share. {@code equals} and
     * {@code hashCode} are written out: a record's generated ones are bootstrapped through method-handle
     * combinators the first time they run, which on a fresh server spun some 25 classes during the first
     * client's handshake (bench/results/20261206-cold-rows.md).
     */
    record Identity(long devMajor, long devMinor, long inode, boolean writable) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && devMajor == other.devMajor && devMinor == other.devMinor
                    && inode == other.inode && writable == other.writable;
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(inode) * 31 + Long.hashCode(devMajor * 4096 + devMinor)) * 2 + (writable ? 1 : 0);
        }
    }

    private DiskFile(String name, int fd, ChannelOpener opener, boolean writable, boolean blockDevice,
                     boolean rotational, boolean zeroOffload, Object identity) throws IOException {
        this.name = name;
        this.fd = fd;
        this.opener = opener;
        this.writable = writable;
        this.blockDevice = blockDevice;
        this.rotational = rotational;
        this.zeroOffload = zeroOffload;
        this.identity = identity;
        this.channel = opener.open(writable);
        this.eviction = fd >= 0 ? new WriteEviction(fd, name) : null;
        this.mapping = blockDevice ? null : new FileMapping(name, (start, length, arena) -> withChannel("map",
                ch -> ch.map(FileChannel.MapMode.READ_ONLY, start, length, arena)),
                fd >= 0 ? (slice, offset) -> prefetch(offset, slice.byteSize()) : (slice, offset) -> { },
                sizeOrClose(channel));
        boolean nativeOps = fd >= 0;
        this.seekDataWorks = nativeOps && !blockDevice && probeSeekData(fd);
        this.punchHoleWorks = nativeOps;
        this.zeroRangeWorks = nativeOps;
        this.blkZeroOutWorks = nativeOps && blockDevice;
        this.blkDiscardWorks = nativeOps && blockDevice;
    }

    /** The channel's size; the channel is closed when that fails, as the constructor then throws. */
    private static long sizeOrClose(FileChannel channel) throws IOException {
        try {
            return channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens a file or block device by path, following symbolic links. With {@code wantWrite} it opens
     * read-write and falls back to read-only when the file or file system refuses writing.
     */
    public static DiskFile open(Path path, boolean wantWrite) throws IOException {
        String name = path.toString();
        if (Linux.isAvailable()) {
            // O_NONBLOCK until the type is checked: a FIFO put in the file's place must not hang the open.
            return openNative(name, mode -> Linux.open(name, mode | Linux.O_NONBLOCK | Linux.O_CLOEXEC | Linux.O_NOCTTY), wantWrite);
        }
        return openPortable(path, wantWrite);
    }

    /**
     * Opens the entry {@code entry} directly inside {@code dir}, refusing symbolic links at the moment of
     * opening ({@code O_NOFOLLOW}), so a link swapped in after the caller's checks is still refused. The
     * caller has checked that {@code entry} is a plain name (no {@code /}, not {@code .} or {@code ..}).
     */
    public static DiskFile openInDirectory(Path dir, String entry, boolean wantWrite) throws IOException {
        ExportDirectory.checkPlainName(entry);
        String name = dir.resolve(entry).toString();
        if (Linux.isAvailable()) {
            NativeOpener opener = mode -> {
                int dirFd = Linux.open(dir.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC);
                try {
                    // O_NONBLOCK: a FIFO swapped in must not hang the open; it is refused by type below.
                    return Linux.openat(dirFd, entry,
                            mode | Linux.O_NOFOLLOW | Linux.O_NONBLOCK | Linux.O_NOCTTY | Linux.O_CLOEXEC);
                } finally {
                    closeQuietly(dirFd);
                }
            };
            try {
                return openNative(name, opener, wantWrite);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ELOOP) {
                    throw new NbdException(NbdError.EINVAL, name + ": is a symbolic link; refused", e);
                }
                throw e;
            }
        }
        return openPortable(dir.resolve(entry), wantWrite, LinkOption.NOFOLLOW_LINKS);
    }

    private static DiskFile openNative(String name, NativeOpener opener, boolean wantWrite) throws IOException {
        boolean writable = wantWrite;
        int fd;
        if (wantWrite) {
            try {
                fd = opener.open(Linux.O_RDWR);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EACCES && e.errno() != Errno.EROFS && e.errno() != Errno.EPERM) {
                    throw e;
                }
                LOG.info("{}: cannot open for writing ({}); serving it read-only", name, e.getMessage());
                fd = opener.open(Linux.O_RDONLY);
                writable = false;
            }
        } else {
            fd = opener.open(Linux.O_RDONLY);
        }
        try {
            Linux.Stat stat = Linux.fstat(fd);
            if (!stat.isRegularFile() && !stat.isBlockDevice()) {
                throw new NbdException(NbdError.EINVAL, name + ": not a regular file or block device");
            }
            Linux.clearNonBlocking(fd);
            Path procPath = Path.of("/proc/self/fd/" + fd);
            ChannelOpener channels = w -> FileChannel.open(procPath, accessOptions(w));
            boolean block = stat.isBlockDevice();
            // Only devices answer: for a file the disk below says little (virtual disks claim to spin).
            boolean rotational = block && BlockQueue.rotational(stat.rdevMajor(), stat.rdevMinor());
            boolean zeroOffload = block && BlockQueue.zeroesInHardware(stat.rdevMajor(), stat.rdevMinor());
            Identity id = new Identity(stat.devMajor(), stat.devMinor(), stat.inode(), writable);
            return new DiskFile(name, fd, channels, writable, block, rotational, zeroOffload, id);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** The portable path, used when the native calls are not bound; package-private so tests can exercise it on Linux too. */
    static DiskFile openPortable(Path path, boolean wantWrite, LinkOption... links) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, links);
        if (!attrs.isRegularFile()) {
            throw new NbdException(NbdError.EINVAL, path + ": not a regular file");
        }
        ChannelOpener channels = w -> {
            OpenOption[] options = links.length == 0 ? accessOptions(w)
                    : w ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS}
                        : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
            return FileChannel.open(path, options);
        };
        boolean writable = wantWrite;
        if (wantWrite) {
            try {
                channels.open(true).close();
            } catch (AccessDeniedException e) {
                writable = false;
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Read-only file system")) {
                    throw e;
                }
                writable = false;
            }
        }
        Object id = Objects.requireNonNullElse(attrs.fileKey(), path.toAbsolutePath()).toString() + "/" + writable;
        return new DiskFile(path.toString(), -1, channels, writable, false, false, false, id);
    }

    private static OpenOption[] accessOptions(boolean writable) {
        return writable ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new OpenOption[] {StandardOpenOption.READ};
    }

    private static boolean probeSeekData(int fd) {
        try {
            Linux.lseek(fd, 0, Linux.SEEK_DATA);
            return true;
        } catch (ErrnoException e) {
            // ENXIO: no data at all, which is still an answer.
            return e.errno() == Errno.ENXIO;
        }
    }

    // ---- what the file is ----

    /** A name for messages: the path. */
    public String name() {
        return name;
    }

    /** Equal for two opens of the same inode with the same access. */
    Object identity() {
        return identity;
    }

    public boolean isWritable() {
        return writable;
    }

    public boolean isBlockDevice() {
        return blockDevice;
    }

    public boolean isRotational() {
        return rotational;
    }

    /** The current size: files may grow or shrink between connections. */
    public long size() throws IOException {
        if (blockDevice) {
            try {
                return Linux.blockDeviceSize(fd);
            } catch (ErrnoException e) {
                return Linux.lseek(fd, 0, Linux.SEEK_END);
            }
        }
        return withChannel("size", FileChannel::size);
    }

    /** Whether {@link #extents} reports holes ({@code SEEK_DATA}/{@code SEEK_HOLE} work here). */
    public boolean canExtents() {
        return seekDataWorks;
    }

    /** Whether {@link #zero} may have a fast path: false once every fast path has proved unsupported. */
    public boolean canFastZero() {
        if (fd < 0) {
            return false;
        }
        return blockDevice || punchHoleWorks || zeroRangeWorks;
    }

    /** Capabilities as {@code --dump-plugin} style lines, for logs and tests. */
    public String capabilities() {
        return "extents=" + yesNo(seekDataWorks) + " punch_hole=" + yesNo(punchHoleWorks)
                + (blockDevice ? " write_zeroes_offload=" + yesNo(zeroOffload) : "")
                + " zero_range=" + yesNo(zeroRangeWorks) + " blkzeroout=" + yesNo(blkZeroOutWorks)
                + " blkdiscard=" + yesNo(blkDiscardWorks);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    // ---- data ----

    /**
     * The bytes at {@code offset} as a read-only view of the file's pages, readable until this file is
     * closed, or {@code null} when the range is not offered as a view (see {@code FileMapping}).
     */
    public ByteBuffer view(long offset, int length) {
        return mapping == null ? null : mapping.view(offset, length);
    }

    /** Fills the buffer from {@code offset}; reading past the end (a file truncated under us) is EIO. */
    public void read(ByteBuffer buffer, long offset) throws IOException {
        if (fd >= 0 && buffer.isDirect()) {
            readNative(buffer, offset);
            return;
        }
        long position = offset;
        while (buffer.hasRemaining()) {
            long at = position;
            int n = withChannel("read", ch -> ch.read(buffer, at));
            if (n < 0) {
                throw new NbdException(NbdError.EIO, name + ": read past the end of the file at offset " + at);
            }
            position += n;
        }
    }

    public void write(ByteBuffer buffer, long offset) throws IOException {
        requireWritable();
        if (fd >= 0 && buffer.isDirect()) {
            writeNative(buffer, offset);
            return;
        }
        long position = offset;
        while (buffer.hasRemaining()) {
            long at = position;
            position += withChannel("write", ch -> ch.write(buffer, at));
        }
    }

    private void readNative(ByteBuffer buffer, long offset) throws IOException {
        requireOpen("read");
        long position = offset;
        while (buffer.hasRemaining()) {
            long n = Linux.pread(fd, MemorySegment.ofBuffer(buffer), position);
            if (n == 0) {
                throw new NbdException(NbdError.EIO, name + ": read past the end of the file at offset " + position);
            }
            buffer.position(buffer.position() + (int) n);
            position += n;
        }
    }

    private void writeNative(ByteBuffer buffer, long offset) throws IOException {
        requireOpen("write");
        long position = offset;
        while (buffer.hasRemaining()) {
            long n = Linux.pwrite(fd, MemorySegment.ofBuffer(buffer), position);
            if (n == 0) {
                throw new NbdException(NbdError.EIO, name + ": write at offset " + position + " wrote nothing");
            }
            buffer.position(buffer.position() + (int) n);
            position += n;
        }
    }

    /** The descriptor number may be reused once closed, so no native I/O may follow a close. */
    private void requireOpen(String what) throws NbdException {
        if (closed) {
            throw new NbdException(NbdError.ESHUTDOWN, name + ": " + what + " after close");
        }
    }

    /** {@code fdatasync}: every completed write to this inode, through any descriptor, becomes durable. */
    public void sync() throws IOException {
        withChannel("flush", ch -> {
            ch.force(false);
            return null;
        });
    }

    /** Reports data and holes with {@code SEEK_DATA}/{@code SEEK_HOLE}, or everything as data without them. */
    public void extents(long offset, long length, boolean firstOnly, Extents sink) throws IOException {
        if (!seekDataWorks) {
            sink.add(offset, length, Extents.DATA);
            return;
        }
        long end = offset + length;
        long position = offset;
        while (position < end) {
            long data;
            try {
                data = Linux.lseek(fd, position, Linux.SEEK_DATA);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENXIO) {
                    throw e;
                }
                // No data at or after position: a hole to the end.
                sink.add(position, end - position, Extents.HOLE | Extents.ZERO);
                return;
            }
            if (data > position) {
                sink.add(position, data - position, Extents.HOLE | Extents.ZERO);
                if (firstOnly) {
                    return;
                }
                position = data;
                continue;
            }
            long hole;
            try {
                hole = Linux.lseek(fd, position, Linux.SEEK_HOLE);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENXIO) {
                    throw e;
                }
                hole = end;   // the file shrank between the two queries
            }
            sink.add(position, Math.max(hole, position + 1) - position, Extents.DATA);
            if (firstOnly) {
                return;
            }
            position = Math.max(hole, position + 1);
        }
    }

    /** Discards a range if the file system or device can; trim is advisory, so otherwise nothing happens. */
    public void trim(long offset, long length) throws IOException {
        requireWritable();
        if (fd < 0) {
            return;
        }
        if (blockDevice) {
            if (blkDiscardWorks) {
                blkDiscardWorks = tryBlockRange(Linux.BLKDISCARD, offset, length, "BLKDISCARD");
            }
        } else if (punchHoleWorks) {
            punchHoleWorks = tryFallocate(Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, offset, length,
                    "FALLOC_FL_PUNCH_HOLE") != Outcome.UNSUPPORTED;
        }
    }

    /**
     * Makes a range read as zeroes without writing buffers of zeroes. Tries, in order: punching a hole
     * (only with {@code mayTrim}; on a block device the kernel then zeroes only if the device can do it
     * without writing), {@code FALLOC_FL_ZERO_RANGE} (on a block device under {@code fastOnly} only when
     * it zeroes in hardware), punching then re-allocating (files), and {@code BLKZEROOUT} (block devices,
     * not when {@code fastOnly}: it may write zeroes itself).
     *
     * @throws NbdException ENOTSUP when no fast path works, so that the server writes zeroes instead
     */
    public void zero(long offset, long length, boolean mayTrim, boolean fastOnly) throws IOException {
        requireWritable();
        if (fd >= 0) {
            if (mayTrim && punchHoleWorks) {
                Outcome o = tryFallocate(Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, offset, length,
                        "FALLOC_FL_PUNCH_HOLE");
                punchHoleWorks = o != Outcome.UNSUPPORTED;
                if (o == Outcome.DONE) {
                    return;
                }
            }
            // On a block device without offload, ZERO_RANGE quietly writes zeroes: not fast.
            if (zeroRangeWorks && !(blockDevice && fastOnly && !zeroOffload)) {
                int mode = Linux.FALLOC_FL_ZERO_RANGE | (blockDevice ? Linux.FALLOC_FL_KEEP_SIZE : 0);
                Outcome o = tryFallocate(mode, offset, length, "FALLOC_FL_ZERO_RANGE");
                zeroRangeWorks = o != Outcome.UNSUPPORTED;
                if (o == Outcome.DONE) {
                    return;
                }
            }
            if (!blockDevice && punchHoleWorks) {
                Outcome o = tryFallocate(Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, offset, length,
                        "FALLOC_FL_PUNCH_HOLE");
                punchHoleWorks = o != Outcome.UNSUPPORTED;
                if (o == Outcome.DONE) {
                    reallocate(offset, length);
                    return;
                }
            }
            if (blockDevice && !fastOnly && blkZeroOutWorks) {
                Outcome o = blockRange(Linux.BLKZEROOUT, offset, length, "BLKZEROOUT");
                blkZeroOutWorks = o != Outcome.UNSUPPORTED;
                if (o == Outcome.DONE) {
                    return;
                }
            }
        }
        throw new NbdException(NbdError.ENOTSUP, name + ": no fast way to zero this range");
    }

    /** After punching a hole for a zero request without may-trim, asks for the blocks back; best effort. */
    private void reallocate(long offset, long length) {
        try {
            Linux.fallocate(fd, Linux.FALLOC_FL_KEEP_SIZE, offset, length);
        } catch (ErrnoException e) {
            // The range already reads as zeroes; staying sparse is allowed.
            LOG.debug("{}: re-allocating a zeroed range failed: {}", name, e.getMessage());
        }
    }

    /** Asks the kernel to read a range ahead ({@code POSIX_FADV_WILLNEED}). */
    public void prefetch(long offset, long length) {
        advise(offset, length, Linux.POSIX_FADV_WILLNEED);
    }

    /** Drops a range just read from the page cache ({@code POSIX_FADV_DONTNEED}). */
    public void dropCache(long offset, long length) {
        advise(offset, length, Linux.POSIX_FADV_DONTNEED);
    }

    /** Drops a range just written from the page cache, once it is written back (see {@link WriteEviction}). */
    public void dropCacheAfterWrite(long offset, long length) {
        if (eviction != null) {
            eviction.written(offset, length);
        }
    }

    /** Applies {@code posix_fadvise} advice; hints only, so failures are logged and ignored. */
    public void advise(long offset, long length, int advice) {
        if (fd < 0) {
            return;
        }
        try {
            Linux.fadvise(fd, offset, length, advice);
        } catch (ErrnoException e) {
            LOG.debug("{}: posix_fadvise({}) failed: {}", name, advice, e.getMessage());
        }
    }

    private enum Outcome { DONE, FAILED_HERE, UNSUPPORTED }

    private Outcome tryFallocate(int mode, long offset, long length, String what) throws ErrnoException {
        try {
            Linux.fallocate(fd, mode, offset, length);
            return Outcome.DONE;
        } catch (ErrnoException e) {
            return classify(e, what);
        }
    }

    private boolean tryBlockRange(long request, long offset, long length, String what) throws ErrnoException {
        return blockRange(request, offset, length, what) != Outcome.UNSUPPORTED;
    }

    private Outcome blockRange(long request, long offset, long length, String what) throws ErrnoException {
        try {
            Linux.blockDeviceRange(fd, request, offset, length);
            return Outcome.DONE;
        } catch (ErrnoException e) {
            return classify(e, what);
        }
    }

    /** Unsupported: remember and stop trying. EINVAL: this range (e.g. unaligned) only. Else: a real error. */
    private Outcome classify(ErrnoException e, String what) throws ErrnoException {
        if (e.meansUnsupported()) {
            LOG.info("{}: {} is not supported here ({}); not trying it again", name, what, e.getMessage());
            return Outcome.UNSUPPORTED;
        }
        if (e.errno() == Errno.EINVAL) {
            return Outcome.FAILED_HERE;
        }
        throw e;
    }

    private void requireWritable() throws NbdException {
        if (!writable) {
            throw new NbdException(NbdError.EPERM, name + ": opened read-only");
        }
    }

    // ---- channel access ----

    @FunctionalInterface
    private interface ChannelCall<T> {
        T call(FileChannel channel) throws IOException;
    }

    private <T> T withChannel(String what, ChannelCall<T> call) throws IOException {
        FileChannel ch = channel;
        try {
            return call.call(ch);
        } catch (ClosedChannelException e) {
            if (closed) {
                throw new NbdException(NbdError.ESHUTDOWN, name + ": " + what + " after close", e);
            }
            FileChannel fresh = reopen(ch);
            if (Thread.currentThread().isInterrupted()) {
                throw new NbdException(NbdError.ESHUTDOWN, name + ": " + what + " interrupted", e);
            }
            // Another thread's interrupt closed the shared channel under this call: retry on the new one.
            return call.call(fresh);
        } catch (NbdException e) {
            throw e;
        } catch (IOException e) {
            throw translate(what, e);
        }
    }

    private FileChannel reopen(FileChannel broken) throws IOException {
        synchronized (this) {
            if (channel == broken && !closed) {
                LOG.info("{}: channel closed by an interrupted request; reopening", name);
                channel = opener.open(writable);
            }
            return channel;
        }
    }

    /** The JDK reports errno only as text; these are the errors the client must see precisely. */
    NbdException translate(String what, IOException e) {
        String m = String.valueOf(e.getMessage());
        NbdError error;
        if (m.contains("No space left") || m.contains("quota") || m.contains("File too large")) {
            error = NbdError.ENOSPC;
        } else if (m.contains("Read-only file system") || m.contains("Permission denied")
                || m.contains("Operation not permitted") || e instanceof AccessDeniedException) {
            error = NbdError.EPERM;
        } else {
            error = NbdError.EIO;
        }
        return new NbdException(error, name + ": " + what + " failed: " + m, e);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (mapping != null) {
            mapping.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: close failed: {}", name, e.toString());
        }
        if (fd >= 0) {
            closeQuietly(fd);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Linux.close(fd);
        } catch (ErrnoException e) {
            LOG.warn("close of descriptor {} failed: {}", fd, e.getMessage());
        }
    }
}
