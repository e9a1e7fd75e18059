package io.nbd4j.filters.luks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * OpenSSL's {@code PKCS5_PBKDF2_HMAC} (libcrypto 3) through the FFM API. LUKS disks are made with as
 * many PBKDF2 iterations as their creator's machine computes in one or two seconds natively (with the
 * CPU's SHA instructions); Bouncy Castle's Java PBKDF2 takes ten times longer under the server's JIT
 * settings (measured: 2.8 s per million SHA-256 iterations, about 50 s for qemu-img's default key
 * slot), which would outlast a client's handshake. OpenSSL takes the same time as cryptsetup.
 *
 * <p><b>Threads.</b> Stateless; any number of threads.
 */
final class NativePbkdf2 {
    private static final MethodHandle DIGEST_BY_NAME;
    private static final MethodHandle PBKDF2;
    private static final String UNAVAILABLE;

    static {
        MethodHandle byName = null;
        MethodHandle pbkdf2 = null;
        String unavailable = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            byName = linker.downcallHandle(crypto.find("EVP_get_digestbyname").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            pbkdf2 = linker.downcallHandle(crypto.find("PKCS5_PBKDF2_HMAC").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        } catch (RuntimeException | LinkageError e) {
            unavailable = e.toString();
        }
        DIGEST_BY_NAME = byName;
        PBKDF2 = pbkdf2;
        UNAVAILABLE = unavailable;
    }

    private NativePbkdf2() {}

    /** Why libcrypto cannot be used, or {@code null} if it can. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * PBKDF2-HMAC with the hash LUKS names {@code hashSpec}, or {@code null} when libcrypto is missing
     * or does not know the hash.
     */
    static byte[] derive(String hashSpec, byte[] password, byte[] salt, int iterations, int length) {
        if (UNAVAILABLE != null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment digest = (MemorySegment) DIGEST_BY_NAME.invokeExact(arena.allocateFrom(hashSpec.toLowerCase(Locale.ROOT)));
            if (digest.equals(MemorySegment.NULL)) {
                return null;
            }
            MemorySegment out = arena.allocate(length);
            int ok = (int) PBKDF2.invokeExact(arena.allocateFrom(ValueLayout.JAVA_BYTE, password), password.length,
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, salt), salt.length, iterations, digest, length, out);
            return ok == 1 ? out.toArray(ValueLayout.JAVA_BYTE) : null;
        } catch (Throwable t) {
            throw new IllegalStateException("PKCS5_PBKDF2_HMAC call failed", t);
        }
    }
}
