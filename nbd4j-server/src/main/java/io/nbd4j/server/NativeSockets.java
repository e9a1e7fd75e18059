package io.nbd4j.server;

import io.nbd4j.spi.PeerCredentials;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The socket calls the server needs and the JDK does not offer, bound with the FFM API: socket
 * options by number ({@code getsockopt(2)}: a socket's family, type, whether it listens, a Unix peer's
 * credentials), {@code dup3(2)} and {@code close(2)}, and the descriptor number behind a channel.
 *
 * <p>The JDK has no public way to a channel's descriptor: the number comes from
 * {@code sun.nio.ch.SelChImpl.getFDVal()}, which the JVM allows only with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the nbd4j jar's manifest grants it, as the
 * test configuration does); the calls need native access. {@link #available()} says whether both were
 * granted, on x86_64 or aarch64 Linux, whose constants this class uses; the reason when not is
 * {@link #unavailableReason()}.
 *
 * <p><b>Threads.</b> Stateless after class initialization; any thread may call it.
 */
final class NativeSockets {
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;

    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_PEERCRED = 17;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int O_CLOEXEC = 02000000;
    /** {@code struct ucred}: pid, uid and gid, four bytes each. */
    private static final long UCRED_BYTES = 12;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Method FD_VAL;
    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle DUP3;
    private static final MethodHandle CLOSE;
    private static final String UNAVAILABLE;

    static {
        Method fdVal = null;
        MethodHandle getsockopt = null;
        MethodHandle dup3 = null;
        MethodHandle close = null;
        String unavailable = null;
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            unavailable = "only on x86_64 or aarch64 Linux";
        } else {
            try {
                fdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                getsockopt = linker.downcallHandle(libc.find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
                dup3 = linker.downcallHandle(libc.find("dup3").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
                close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // IllegalCallerException without native access
                unavailable = e.toString();
            }
        }
        UNAVAILABLE = unavailable;
        FD_VAL = unavailable == null ? fdVal : null;
        GETSOCKOPT = getsockopt;
        DUP3 = dup3;
        CLOSE = close;
    }

    private NativeSockets() {}

    static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why {@link #available()} is false, or {@code null}. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    private static void requireAvailable() throws IOException {
        if (UNAVAILABLE != null) {
            throw new IOException("native socket calls are not available (" + UNAVAILABLE + ")");
        }
    }

    /**
     * The descriptor number of a socket channel of the JDK's own implementation.
     *
     * @throws IOException when the JVM denies access to it (no {@code --add-exports java.base/sun.nio.ch})
     */
    static int descriptorOf(Channel channel) throws IOException {
        requireAvailable();
        try {
            return (int) FD_VAL.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot read the descriptor of " + channel + " (" + e
                    + "); run the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }

    /** The socket's family: {@link #AF_UNIX}, {@link #AF_INET}, {@link #AF_INET6} or another. */
    static int family(int fd) throws IOException {
        return intOption(fd, SO_DOMAIN, "SO_DOMAIN");
    }

    /** The socket's type ({@link #SOCK_STREAM} …). */
    static int type(int fd) throws IOException {
        return intOption(fd, SO_TYPE, "SO_TYPE");
    }

    /** Whether the socket is listening. */
    static boolean isListening(int fd) throws IOException {
        return intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0;
    }

    private static int intOption(int fd, int option, String name) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            int result = (int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, option, value, length);
            if (result != 0) {
                throw new IOException("getsockopt(" + fd + ", " + name + ") failed: " + errnoName((int) ERRNO.get(state, 0L)));
            }
            return value.get(JAVA_INT, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("getsockopt failed: " + t, t);
        }
    }

    /** The credentials of the process at the other end of a connected Unix-domain socket. */
    static PeerCredentials peerCredentials(int fd) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment ucred = arena.allocate(UCRED_BYTES, 4);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) UCRED_BYTES);
            int result = (int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_PEERCRED, ucred, length);
            if (result != 0) {
                throw new IOException("getsockopt(SO_PEERCRED) failed: " + errnoName((int) ERRNO.get(state, 0L)));
            }
            return new PeerCredentials(Integer.toUnsignedLong(ucred.get(JAVA_INT, 0)),
                    Integer.toUnsignedLong(ucred.get(JAVA_INT, 4)), Integer.toUnsignedLong(ucred.get(JAVA_INT, 8)));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("getsockopt failed: " + t, t);
        }
    }

    /**
     * Makes descriptor {@code target} refer to what {@code source} refers to, closing what {@code target}
     * referred to before, in one atomic step, with close-on-exec set on {@code target}.
     */
    static void duplicateOnto(int source, int target) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) DUP3.invokeExact(state, source, target, O_CLOEXEC) < 0) {
                throw new IOException("dup3(" + source + ", " + target + ") failed: " + errnoName((int) ERRNO.get(state, 0L)));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("dup3 failed: " + t, t);
        }
    }

    /** Closes a descriptor; a failure is of no interest to a caller letting go of it. */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed: " + t, t);
        }
    }

    private static String errnoName(int errno) {
        return switch (errno) {
            case 9 -> "EBADF (no such descriptor)";
            case 88 -> "ENOTSOCK (not a socket)";
            case 92 -> "ENOPROTOOPT";
            default -> "errno " + errno;
        };
    }
}
