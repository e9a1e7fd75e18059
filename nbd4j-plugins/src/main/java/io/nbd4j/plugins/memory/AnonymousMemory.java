package io.nbd4j.plugins.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux anonymous memory through the FFM API: {@code mmap} to reserve, {@code madvise(MADV_DONTNEED)}
 * to hand pages back to the kernel ({@code MADV_HUGEPAGE} to ask for transparent huge pages),
 * {@code munmap} when the owning arena closes.
 *
 * <p>Why not {@code ByteBuffer.allocateDirect} or one arena per page: released pages must give their
 * memory back at once, yet a reader racing with the release must never touch unmapped memory. After
 * {@code MADV_DONTNEED} the address range stays mapped and the kernel refills it with zeroes on the
 * next touch, so no reclamation protocol (reference counts, epochs, locks) is needed on the data path.
 *
 * <p>Stateless and safe to call from any thread.
 */
final class AnonymousMemory {
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    /** Reserve address space without committing swap: pages cost memory only once written. */
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;

    private static final Path THP_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    private static final Path THP_SIZE = Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");

    static {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            throw new ExceptionInInitializerError("the memory page table needs Linux mmap/madvise");
        }
    }

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /**
     * Only mmap is bound when the class initialises: binding a native call costs milliseconds of CPU
     * each, and a fresh table needs only mmap for its first write. The others (a trim's madvise, munmap
     * at close, mlock) are bound by their holder classes on first use.
     */
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            CAPTURE_ERRNO);

    private static final class Madvise {
        static final MethodHandle CALL = bind("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Munmap {
        static final MethodHandle CALL = bind("munmap",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Mlock {
        static final MethodHandle CALL = bind("mlock",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    }

    /** The kernel's page size, read from the process's auxiliary vector rather than through one more native call. */
    private static final class PageSize {
        static final int BYTES = KernelPageSize.read();
    }

    private static MethodHandle bind(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(function).orElseThrow(), descriptor, options);
    }

    private AnonymousMemory() {}

    /** The kernel's page size: the smallest unit {@link #release} can give back. */
    static int pageSize() {
        return PageSize.BYTES;
    }

    /**
     * Maps {@code length} bytes of zeroed, lazily committed memory that lives until {@code arena} closes.
     *
     * @throws OutOfMemoryError if the kernel refuses the mapping (the message carries errno)
     */
    static MemorySegment map(long length, Arena arena) {
        return map(length, arena, MAP_NORESERVE);
    }

    /**
     * Like {@link #map}, but aligned to {@code hugePage} bytes and marked {@code MADV_HUGEPAGE}, so that
     * the first touch of each aligned {@code hugePage} span commits one transparent huge page (one fault
     * and one zeroing instead of 512), as far as the kernel has huge pages to give.
     *
     * @throws OutOfMemoryError if the kernel refuses the mapping
     * @throws IllegalStateException if the kernel refuses the advice (a kernel without transparent huge pages)
     */
    static MemorySegment mapHuge(long length, long hugePage, Arena arena) {
        // Mapped a huge page longer than asked, so that an aligned span of the length fits inside.
        MemorySegment whole = map(length + hugePage, arena, MAP_NORESERVE);
        long skip = -whole.address() & (hugePage - 1);
        MemorySegment aligned = whole.asSlice(skip, length);
        advise(aligned, MADV_HUGEPAGE, "MADV_HUGEPAGE");
        return aligned;
    }

    /**
     * The size of a transparent huge page, or 0 when the kernel offers none to {@code madvise}: no
     * {@code transparent_hugepage} directory, or its mode is {@code never}.
     */
    static long transparentHugePageSize() {
        try {
            String mode = Files.readString(THP_ENABLED);
            if (mode.contains("[never]")) {
                return 0;
            }
            return Long.parseLong(Files.readString(THP_SIZE).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Like {@link #map}, but the kernel counts the whole length against its commit limit at once, so
     * a mapping larger than the memory the kernel is willing to promise fails here rather than when
     * a page is first written.
     */
    static MemorySegment mapCommitted(long length, Arena arena) {
        return map(length, arena, 0);
    }

    private static MemorySegment map(long length, Arena arena, int extraFlags) {
        MemorySegment address;
        int error;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(CALL_STATE);
            address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extraFlags, -1, 0L);
            error = (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap call failed", t);
        }
        if (address.address() == -1L) {
            throw new OutOfMemoryError("mmap of " + length + " bytes failed with errno " + error);
        }
        // The cleanup action sees the original zero-length segment, so it is told the length itself.
        return address.reinterpret(length, arena, mapping -> unmap(mapping, length));
    }

    /**
     * Binds now, on the calling thread, what a first write will need: mmap (bound when this class
     * initialises) and, with {@code advice}, madvise (huge-page regions need it for their first write).
     */
    static void prepare(boolean advice) {
        if (advice) {
            MethodHandle ignored = Madvise.CALL;
        }
    }

    /** Gives the pages of {@code range} back to the kernel; they read as zeroes afterwards. */
    static void release(MemorySegment range) {
        advise(range, MADV_DONTNEED, "MADV_DONTNEED");
    }

    private static void advise(MemorySegment range, int advice, String name) {
        int result;
        int error;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(CALL_STATE);
            result = (int) Madvise.CALL.invokeExact(state, range, range.byteSize(), advice);
            error = (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise call failed", t);
        }
        if (result != 0) {
            // Cannot happen for a page-aligned range inside a live private mapping (nor MADV_HUGEPAGE on a
            // kernel with transparent huge pages).
            throw new IllegalStateException("madvise(" + name + ") failed with errno " + error);
        }
    }

    /**
     * Locks the pages of {@code range} into RAM (mlock(2)): they are made present now and never swapped out.
     *
     * @return 0, or the errno of the failure (ENOMEM when {@code ulimit -l} is too low, EPERM without the right)
     */
    static int lock(MemorySegment range) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(CALL_STATE);
            int result = (int) Mlock.CALL.invokeExact(state, range, range.byteSize());
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mlock call failed", t);
        }
    }

    private static void unmap(MemorySegment mapping, long length) {
        try {
            int ignored = (int) Munmap.CALL.invokeExact(mapping, length);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap call failed", t);
        }
    }
}
