package io.nbd4j.plugins.file.linux;

import io.nbd4j.spi.WarmUp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
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
    /**
     * Every call goes through libc's {@code syscall(2)}, with the number and five {@code long} arguments,
     * capturing {@code errno}; {@code pread} and {@code pwrite} through {@link QuickSyscall} and
     * {@link CapturingPositional}, whose second argument is the buffer itself, so that the linker keeps
     * its memory alive (and its arena open) for the call. Binding a downcall handle makes the JVM
     * generate classes for its signature at run time, which the AOT cache cannot hold: with a handle per
     * libc function (thirteen signatures) a captive {@code file} server took 192-227 ms to answer
     * {@code nbdinfo --size}, against 142-165 ms with one at start (medians of 15 and 21 alternating runs).
     */
    private static final MethodHandle SYSCALL;
    private static final MemorySegment SYSCALL_SYMBOL;
    private static final FunctionDescriptor SYSCALL_SIGNATURE = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** {@code syscall(number, fd, buffer, count, offset, 0)}. */
    private static final FunctionDescriptor POSITIONAL_SIGNATURE = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Numbers NR;

    /** The system call numbers of one architecture (x86_64's own table, aarch64's the generic one). */
    private record Numbers(long openat, long close, long lseek, long pread, long pwrite, long fallocate,
                           long fadvise, long syncFileRange, long statx, long fcntl, long ioctl) { }

    private static final Numbers X86_64 = new Numbers(257, 3, 8, 17, 18, 285, 221, 277, 332, 72, 16);
    private static final Numbers AARCH64 = new Numbers(56, 57, 62, 67, 68, 47, 223, 84, 291, 25, 29);
    private static final long AT_FDCWD = -100;

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
        MethodHandle syscall = null;
        MemorySegment symbol = null;
        if (!linux || !(x86 || arm)) {
            reason = "not x86_64 or aarch64 Linux";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                symbol = linker.defaultLookup().find("syscall")
                        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall"));
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                syscall = linker.downcallHandle(symbol, SYSCALL_SIGNATURE,
                        Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
            } catch (RuntimeException | LinkageError e) {
                reason = "native access failed: " + e;
            }
        }
        UNAVAILABLE_REASON = reason;
        CAPTURE_LAYOUT = capture;
        ERRNO = errno;
        SYSCALL = syscall;
        SYSCALL_SYMBOL = symbol;
        NR = arm ? AARCH64 : X86_64;
        if (reason == null) {
            // Off the start's path: a file's first read or write waits for it only if it comes first.
            WarmUp.inBackground(QuickSyscall::bind);
        }
    }

    /**
     * {@code pread} and {@code pwrite} without capturing {@code errno}: bound by the start's warm-up, or by
     * the first call when there is none (a captive run).
     */
    private static final class QuickSyscall {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(SYSCALL_SYMBOL, POSITIONAL_SIGNATURE,
                Linker.Option.firstVariadicArg(1));

        static void bind() {
            // initialising the class binds the handle
        }
    }

    /** {@code pread} and {@code pwrite} capturing {@code errno}: bound by the first one that fails. */
    private static final class CapturingPositional {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(SYSCALL_SYMBOL, POSITIONAL_SIGNATURE,
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    private Linux() {}

    /**
     * One system call, capturing {@code errno}: the result, or -1 with {@code errno} in {@code state}.
     * Pointers go as plain addresses, so they may only point into the caller's own confined arena,
     * which outlives the call.
     */
    private static long syscall(MemorySegment state, long number, long a1, long a2, long a3, long a4, long a5)
            throws Throwable {
        return (long) SYSCALL.invokeExact(state, number, a1, a2, a3, a4, a5);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
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
        return openat(AT_FDCWD, path, flags, "open " + path);
    }

    public static int openat(int dirFd, String name, int flags) throws ErrnoException {
        return openat(dirFd, name, flags, "openat " + name);
    }

    private static int openat(long dirFd, String name, int flags, String call) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long fd = syscall(state, NR.openat(), dirFd, arena.allocateFrom(name).address(), flags, 0, 0);
            return check(call, (int) fd, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes a descriptor; a failure is reported but the descriptor is gone either way. */
    public static void close(int fd) throws ErrnoException {
        simple("close", NR.close(), fd, 0, 0, 0);
    }

    /** {@code lseek}: only ever used for queries ({@code SEEK_DATA}, {@code SEEK_HOLE}, {@code SEEK_END}). */
    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = syscall(state, NR.lseek(), fd, offset, whence, 0, 0);
            if (r < 0) {
                throw new ErrnoException("lseek", errno(state));
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
        return positional(NR.pread(), "pread", fd, into, offset);
    }

    /** {@code pwrite} from native memory: the number of bytes written. Failures as for {@link #pread}. */
    public static long pwrite(int fd, MemorySegment from, long offset) throws ErrnoException {
        return positional(NR.pwrite(), "pwrite", fd, from, offset);
    }

    private static long positional(long number, String name, int fd, MemorySegment data, long offset)
            throws ErrnoException {
        long n;
        try {
            n = (long) QuickSyscall.HANDLE.invokeExact(number, (long) fd, data, data.byteSize(), offset, 0L);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return n >= 0 ? n : positionalCapturingErrno(number, name, fd, data, offset);
    }

    private static long positionalCapturingErrno(long number, String name, int fd, MemorySegment data,
                                                 long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long n;
            do {
                n = (long) CapturingPositional.HANDLE.invokeExact(state, number, (long) fd, data, data.byteSize(),
                        offset, 0L);
            } while (n < 0 && errno(state) == Errno.EINTR);
            if (n < 0) {
                throw new ErrnoException(name, errno(state));
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
            long r;
            do {
                r = syscall(state, NR.fallocate(), fd, mode, offset, length, 0);
            } while (r < 0 && errno(state) == Errno.EINTR);
            check("fallocate", (int) r, state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void fadvise(int fd, long offset, long length, int advice) throws ErrnoException {
        simple("posix_fadvise", NR.fadvise(), fd, offset, length, advice);
    }

    /** {@code sync_file_range}: starts and/or waits for write-back of a range, without a metadata flush. */
    public static void syncFileRange(int fd, long offset, long length, int flags) throws ErrnoException {
        simple("sync_file_range", NR.syncFileRange(), fd, offset, length, flags);
    }

    /** A call with no pointer argument whose result is only success or failure. */
    private static void simple(String call, long number, long a1, long a2, long a3, long a4) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            check(call, (int) syscall(state, number, a1, a2, a3, a4, 0), state);
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
            long r = syscall(state, NR.statx(), fd, arena.allocateFrom("").address(), AT_EMPTY_PATH,
                    STATX_BASIC_STATS, buf.address());
            check("statx", (int) r, state);
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
            int flags = (int) syscall(state, NR.fcntl(), fd, F_GETFL, 0, 0, 0);
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
            int flags = (int) syscall(state, NR.fcntl(), fd, F_GETFL, 0, 0, 0);
            check("fcntl(F_GETFL)", flags, state);
            int r = (int) syscall(state, NR.fcntl(), fd, F_SETFL, flags & ~O_NONBLOCK, 0, 0);
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
            long r = syscall(state, NR.fcntl(), fd, F_OFD_SETLK, flock.address(), 0, 0);
            if (r < 0) {
                int errno = errno(state);
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
            long r = syscall(state, NR.ioctl(), fd, BLKGETSIZE64, out.address(), 0, 0);
            check("ioctl(BLKGETSIZE64)", (int) r, state);
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
            long r = syscall(state, NR.ioctl(), fd, request, range.address(), 0, 0);
            check(request == BLKZEROOUT ? "ioctl(BLKZEROOUT)" : "ioctl(BLKDISCARD)", (int) r, state);
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
