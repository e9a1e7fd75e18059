package io.nbd4j.plugins.memory;

import io.nbd4j.spi.ConfigException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The whole disk as one anonymous mapping ({@code allocator=malloc}): no page table, so no
 * sparseness and no extents, and the kernel must promise memory for all of it at start. With
 * {@code mlock=true} the mapping is also locked into RAM, every page made present at start.
 *
 * <p><b>Threads.</b> Reads, writes and zeroing take no lock: they copy into or out of fixed addresses,
 * and requests racing on the same bytes may interleave as on a real disk. Only {@link #close} must not
 * race with the others; it unmaps the memory.
 *
 * <p><b>Buffers.</b> The bytes between a buffer's position and limit are used during the call only;
 * the position is not moved.
 */
final class ContiguousMemory implements AutoCloseable {
    private static final String ULIMIT_HINT = " (raise the limit of locked memory, ulimit -l, or leave out mlock=true)";

    private final Arena arena;
    private final MemorySegment memory;

    private ContiguousMemory(Arena arena, MemorySegment memory) {
        this.arena = arena;
        this.memory = memory;
    }

    /**
     * Maps {@code size} bytes of zeroes, locked into RAM if {@code locked}.
     *
     * @throws ConfigException when the kernel refuses the memory or the lock
     */
    static ContiguousMemory allocate(long size, boolean locked) throws ConfigException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = size == 0 ? MemorySegment.NULL : AnonymousMemory.mapCommitted(size, arena);
            if (locked && size > 0) {
                int error = AnonymousMemory.lock(memory);
                if (error != 0) {
                    throw new ConfigException("memory: mlock of " + size + " bytes failed with errno " + error + ULIMIT_HINT);
                }
            }
            return new ContiguousMemory(arena, memory);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new ConfigException("memory: allocator=malloc could not get " + size + " bytes: " + e.getMessage()
                    + " (allocator=sparse uses memory only for what is written)", e);
        } catch (ConfigException e) {
            arena.close();
            throw e;
        }
    }

    void read(ByteBuffer dst, long offset) {
        MemorySegment.copy(memory, offset, MemorySegment.ofBuffer(dst), 0, dst.remaining());
    }

    /** A read-only view of {@code [offset, offset + length)}, valid until {@link #close}. */
    ByteBuffer view(long offset, int length) {
        return memory.asSlice(offset, length).asByteBuffer().asReadOnlyBuffer();
    }

    void write(ByteBuffer src, long offset) {
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, memory, offset, src.remaining());
    }

    void zero(long length, long offset) {
        memory.asSlice(offset, length).fill((byte) 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
