package io.nbd4j.plugins.file.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The few Linux system calls the file plugins need and the JDK does not offer, bound with the FFM API:
 * {@code open}/{@code openat} (for {@code O_NOFOLLOW} and a descriptor number), {@code pread}/{@code pwrite}
 * (without the interruptible-channel bookkeeping of {@link java.nio.channels.FileChannel}), {@code lseek} with
 * {@code SEEK_DATA}/{@code SEEK_HOLE}, {@code fallocate}, {@code posix_fadvise}, {@code sync_file_range}, {@code statx},
 * {@code fcntl} and the block-device ioctls. Each failure becomes an {@link ErrnoException} with the
 * {@code errno} captured by the linker.
 *
 * <p>Only x86_64 and aarch64 Linux are bound (the constants below are theirs); elsewhere, or when the
 * JVM refuses native access, {@link #isAvailable()} is false and callers use portable code instead.
 *
 * <p>Threads: stateless; every method may be called from any thread at any time. A call blocks its
 * carrier thread for the duration of the system call.
 */
public final class Linux {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0400;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    /** Differs between architectures. */
    public static final int O_DIRECTORY;
    /** Differs between architectures. */
    public static final int O_NOFOLLOW;

    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    public static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    public static final int SYNC_FILE_RANGE_WRITE = 2;
    public static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

    public static final int POSIX_FADV_NORMAL = 0;
    public static final int POSIX_FADV_RANDOM = 1;
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;

    /** {@code _IOR(0x12, 114, size_t)}: device size in bytes. */
    public static final long BLKGETSIZE64 = 0x80081272L;
    /** {@code _IO(0x12, 119)}: discard a byte range. */
    public static final long BLKDISCARD = 0x1277L;
    /** {@code _IO(0x12, 127)}: zero a byte range (may write zeroes). */
    public static final long BLKZEROOUT = 0x127fL;

    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    /** The access-mode bits of the file status flags: {@link #O_RDONLY}, {@code O_WRONLY} or {@link #O_RDWR}. */
    public static final int O_ACCMODE = 3;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_OFD_SETLK = 37;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    /** {@code struct flock} on x86_64 and aarch64: l_type, l_whence (shorts), l_start, l_len, l_pid. */
    private static final long FLOCK_SIZE = 32;
    private static final long FLOCK_START = 8;
    private static final long FLOCK_LEN = 16;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final long STATX_SIZE_BYTES = 256;

    private static final String UNAVAILABLE_REASON;
    private static final StructLayout CAPTURE_LAYOUT;
    private static final VarHandle ERRNO;
    private static final MethodHandle OPEN;
    private static final MethodHandle OPENAT;
    private static final MethodHandle CLOSE;
    private static final MethodHandle LSEEK;
    private static final MethodHandle PREAD;
    private static final MethodHandle PREAD_QUICK;
    private static final MethodHandle PWRITE;
    private static final MethodHandle PWRITE_QUICK;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle FADVISE;
    private static final MethodHandle SYNC_FILE_RANGE;
    private static final MethodHandle STATX;
    private static final MethodHandle FCNTL;
    private static final MethodHandle FCNTL_LOCK;
    private static final MethodHandle IOCTL;

    static {
        String arch = System.getProperty("os.arch", "");
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64");
        O_DIRECTORY = arm ? 040000 : 0200000;
        O_NOFOLLOW = arm ? 0100000 : 0400000;
        String reason = null;
        StructLayout capture = null;
        VarHandle errno = null;
        MethodHandle open = null, openat = null, close = null, lseek = null, pread = null, preadQuick = null,
                pwrite = null, pwriteQuick = null, fallocate = null, fadvise = null,
                syncFileRange = null, statx = null, fcntl = null, fcntlLock = null, ioctl = null;
        if (!linux || !(x86 || arm)) {
            reason = "not x86_64 or aarch64 Linux";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                Linker.Option saveErrno = Linker.Option.captureCallState("errno");
                open = bind(linker, libc, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        saveErrno, Linker.Option.firstVariadicArg(2));
                openat = bind(linker, libc, "openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        saveErrno, Linker.Option.firstVariadicArg(3));
                close = bind(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), saveErrno);
                lseek = bind(linker, libc, "lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), saveErrno);
                FunctionDescriptor positional = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
                pread = bind(linker, libc, "pread", positional, saveErrno);
                preadQuick = bind(linker, libc, "pread", positional);
                pwrite = bind(linker, libc, "pwrite", positional, saveErrno);
                pwriteQuick = bind(linker, libc, "pwrite", positional);
                fallocate = bind(linker, libc, "fallocate",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), saveErrno);
                // posix_fadvise returns the error number instead of setting errno.
                fadvise = bind(linker, libc, "posix_fadvise",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
                syncFileRange = bind(linker, libc, "sync_file_range",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), saveErrno);
                statx = bind(linker, libc, "statx",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), saveErrno);
                fcntl = bind(linker, libc, "fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                        saveErrno, Linker.Option.firstVariadicArg(2));
                fcntlLock = bind(linker, libc, "fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                        saveErrno, Linker.Option.firstVariadicArg(2));
                ioctl = bind(linker, libc, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                        saveErrno, Linker.Option.firstVariadicArg(2));
            } catch (RuntimeException | LinkageError e) {
                reason = "native access failed: " + e;
            }
        }
        UNAVAILABLE_REASON = reason;
        CAPTURE_LAYOUT = capture;
        ERRNO = errno;
        OPEN = open;
        OPENAT = openat;
        CLOSE = close;
        LSEEK = lseek;
        PREAD = pread;
        PREAD_QUICK = preadQuick;
        PWRITE = pwrite;
        PWRITE_QUICK = pwriteQuick;
        FALLOCATE = fallocate;
        FADVISE = fadvise;
        SYNC_FILE_RANGE = syncFileRange;
        STATX = statx;
        FCNTL = fcntl;
        FCNTL_LOCK = fcntlLock;
        IOCTL = ioctl;
    }

    private Linux() {}

    private static MethodHandle bind(Linker linker, SymbolLookup libc, String name, FunctionDescriptor fd,
                                     Linker.Option... options) {
        MemorySegment symbol = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return linker.downcallHandle(symbol, fd, options);
    }

    /** Whether the calls below can be used in this JVM. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why {@link #isAvailable()} is false, or {@code null}. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** What {@code statx} says about an open file. */
    public record Stat(int mode, long size, long inode, int devMajor, int devMinor, int rdevMajor, int rdevMinor) {
        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isBlockDevice() {
            return (mode & S_IFMT) == S_IFBLK;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }
    }

    public static int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            return check("open " + path, fd, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int openat(int dirFd, String name, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) OPENAT.invokeExact(state, dirFd, arena.allocateFrom(name), flags, 0);
            return check("openat " + name, fd, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes a descriptor; a failure is reported but the descriptor is gone either way. */
    public static void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) CLOSE.invokeExact(state, fd);
            check("close", r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code lseek}: only ever used for queries ({@code SEEK_DATA}, {@code SEEK_HOLE}, {@code SEEK_END}). */
    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = (long) LSEEK.invokeExact(state, fd, offset, whence);
            if (r < 0) {
                throw new ErrnoException("lseek", (int) ERRNO.get(state, 0L));
            }
            return r;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code pread} into native memory: the number of bytes read, 0 at the end of the file. The common
     * case goes without the arena that capturing {@code errno} needs; a failed call transferred
     * nothing, so it is simply made again with capture (retrying on {@code EINTR}), and that
     * attempt's outcome is the answer.
     */
    public static long pread(int fd, MemorySegment into, long offset) throws ErrnoException {
        return positional(PREAD_QUICK, PREAD, "pread", fd, into, offset);
    }

    /** {@code pwrite} from native memory: the number of bytes written. Failures as for {@link #pread}. */
    public static long pwrite(int fd, MemorySegment from, long offset) throws ErrnoException {
        return positional(PWRITE_QUICK, PWRITE, "pwrite", fd, from, offset);
    }

    private static long positional(MethodHandle quick, MethodHandle capturing, String name, int fd,
                                   MemorySegment data, long offset) throws ErrnoException {
        long n;
        try {
            n = (long) quick.invokeExact(fd, data, data.byteSize(), offset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return n >= 0 ? n : positionalCapturingErrno(capturing, name, fd, data, offset);
    }

    private static long positionalCapturingErrno(MethodHandle call, String name, int fd, MemorySegment data,
                                                 long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long n;
            do {
                n = (long) call.invokeExact(state, fd, data, data.byteSize(), offset);
            } while (n < 0 && (int) ERRNO.get(state, 0L) == Errno.EINTR);
            if (n < 0) {
                throw new ErrnoException(name, (int) ERRNO.get(state, 0L));
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void fallocate(int fd, int mode, long offset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r;
            do {
                r = (int) FALLOCATE.invokeExact(state, fd, mode, offset, length);
            } while (r < 0 && (int) ERRNO.get(state, 0L) == Errno.EINTR);
            check("fallocate", r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void fadvise(int fd, long offset, long length, int advice) throws ErrnoException {
        int r;
        try {
            r = (int) FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r != 0) {
            throw new ErrnoException("posix_fadvise", r);
        }
    }

    /** {@code sync_file_range}: starts and/or waits for write-back of a range, without a metadata flush. */
    public static void syncFileRange(int fd, long offset, long length, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) SYNC_FILE_RANGE.invokeExact(state, fd, offset, length, flags);
            check("sync_file_range", r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code fstat} through {@code statx}, whose layout is the same on every architecture. */
    public static Stat fstat(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment buf = arena.allocate(STATX_SIZE_BYTES, 8);
            int r = (int) STATX.invokeExact(state, fd, arena.allocateFrom(""), AT_EMPTY_PATH, STATX_BASIC_STATS, buf);
            check("statx", r, state);
            return new Stat(
                    Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, 28)),
                    buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 32),
                    buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140),
                    buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The descriptor's access mode ({@code fcntl(F_GETFL) & O_ACCMODE}), e.g. to respect an inherited read-only descriptor. */
    public static int accessMode(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0);
            return check("fcntl(F_GETFL)", flags, state) & O_ACCMODE;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Clears {@code O_NONBLOCK}, which is only wanted while opening (so that a FIFO cannot block the open). */
    public static void clearNonBlocking(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0);
            check("fcntl(F_GETFL)", flags, state);
            int r = (int) FCNTL.invokeExact(state, fd, F_SETFL, flags & ~O_NONBLOCK);
            check("fcntl(F_SETFL)", r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Takes a lock on the whole file for the open file description of {@code fd} ({@code F_OFD_SETLK}):
     * shared or exclusive, without waiting. Unlike a classic POSIX lock it belongs to this description
     * alone, so two descriptors opened separately in one process exclude each other, and closing some
     * other descriptor of the file does not drop it; it goes when the last descriptor of the
     * description is closed.
     *
     * @return false when a conflicting lock is held (by this or another process)
     */
    public static boolean tryLockWholeFile(int fd, boolean exclusive) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment flock = arena.allocate(FLOCK_SIZE, 8);
            flock.set(JAVA_SHORT, 0, exclusive ? F_WRLCK : F_RDLCK);
            flock.set(JAVA_SHORT, 2, (short) 0);
            flock.set(JAVA_LONG, FLOCK_START, 0L);
            flock.set(JAVA_LONG, FLOCK_LEN, 0L);
            int r = (int) FCNTL_LOCK.invokeExact(state, fd, F_OFD_SETLK, flock);
            if (r < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == Errno.EAGAIN || errno == Errno.EACCES) {
                    return false;
                }
                throw new ErrnoException("fcntl(F_OFD_SETLK)", errno);
            }
            return true;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code BLKGETSIZE64}: the size of a block device. */
    public static long blockDeviceSize(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment out = arena.allocate(JAVA_LONG);
            int r = (int) IOCTL.invokeExact(state, fd, BLKGETSIZE64, out);
            check("ioctl(BLKGETSIZE64)", r, state);
            return out.get(JAVA_LONG, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** A range ioctl on a block device: {@link #BLKDISCARD} or {@link #BLKZEROOUT}. */
    public static void blockDeviceRange(int fd, long request, long offset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment range = arena.allocate(JAVA_LONG, 2);
            range.setAtIndex(JAVA_LONG, 0, offset);
            range.setAtIndex(JAVA_LONG, 1, length);
            int r = (int) IOCTL.invokeExact(state, fd, request, range);
            check(request == BLKZEROOUT ? "ioctl(BLKZEROOUT)" : "ioctl(BLKDISCARD)", r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static int check(String call, int result, MemorySegment state) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, (int) ERRNO.get(state, 0L));
        }
        return result;
    }

    private static IllegalStateException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected failure of a native call", t);
    }
}
