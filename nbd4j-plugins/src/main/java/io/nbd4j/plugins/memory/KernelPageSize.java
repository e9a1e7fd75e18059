package io.nbd4j.plugins.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's page size as Linux hands it to every process: the {@code AT_PAGESZ} entry of the auxiliary
 * vector, {@code /proc/self/auxv} (pairs of native-endian 64-bit words, type then value, up to
 * {@code AT_NULL}). Reading it costs a file read; asking libc's {@code getpagesize} through the FFM API
 * would cost binding one more native call, milliseconds of CPU in a fresh JVM.
 *
 * <p>Threads: stateless.
 */
final class KernelPageSize {
    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;

    private KernelPageSize() {}

    static int read() {
        try {
            return fromAuxiliaryVector(ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's page size from /proc/self/auxv", e);
        }
    }

    /** The page size in {@code auxv}, a vector of 64-bit pairs. */
    static int fromAuxiliaryVector(ByteBuffer auxv) {
        while (auxv.remaining() >= 2 * Long.BYTES) {
            long type = auxv.getLong();
            long value = auxv.getLong();
            if (type == AT_PAGESZ) {
                if (value <= 0 || Long.bitCount(value) != 1 || value > 1 << 30) {
                    throw new IllegalStateException("the auxiliary vector gives an impossible page size: " + value);
                }
                return (int) value;
            }
            if (type == AT_NULL) {
                break;
            }
        }
        throw new IllegalStateException("the auxiliary vector has no page size (AT_PAGESZ)");
    }
}
