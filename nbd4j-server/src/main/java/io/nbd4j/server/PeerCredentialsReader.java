package io.nbd4j.server;

import io.nbd4j.spi.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Reads the credentials of a Unix-domain client ({@code SO_PEERCRED}: pid, uid, gid) with
 * {@code getsockopt(2)} through the FFM API. The JDK's own {@code jdk.net.ExtendedSocketOptions.SO_PEERCRED}
 * gives user and group names but no pid, and the JDK offers no public way to a socket's descriptor:
 * the number comes from the channel's {@code sun.nio.ch.SelChImpl.getFDVal()}, which the JVM allows
 * only with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the nbd4j jar's manifest grants it,
 * as the test configuration does) and native access. Where either is refused, or off x86_64/aarch64
 * Linux, {@link #read} returns {@code null} and the reason is logged once.
 *
 * <p><b>Threads.</b> Stateless after class initialization; any thread may call it.
 */
final class PeerCredentialsReader {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCredentialsReader.class);
    private static final int SOL_SOCKET = 1;
    /** The value on x86_64 and aarch64 Linux (other architectures differ). */
    private static final int SO_PEERCRED = 17;
    /** {@code struct ucred}: pid, uid and gid, four bytes each. */
    private static final long UCRED_BYTES = 12;

    private static final Method FD_VAL;
    private static final MethodHandle GETSOCKOPT;
    private static volatile boolean reportedFailure;

    static {
        Method fdVal = null;
        MethodHandle getsockopt = null;
        String arch = System.getProperty("os.arch", "");
        boolean supported = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
        if (supported) {
            try {
                fdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
                Linker linker = Linker.nativeLinker();
                getsockopt = linker.downcallHandle(linker.defaultLookup().find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("peer credentials are not available: {}", e.toString());
                fdVal = null;
                getsockopt = null;
            }
        }
        FD_VAL = fdVal;
        GETSOCKOPT = getsockopt;
    }

    private PeerCredentialsReader() {}

    /** The credentials of the process at the other end of a connected Unix-domain socket, or {@code null}. */
    static PeerCredentials read(SocketChannel channel) {
        if (GETSOCKOPT == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) FD_VAL.invoke(channel);
            MemorySegment ucred = arena.allocate(UCRED_BYTES, 4);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) UCRED_BYTES);
            int result = (int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_PEERCRED, ucred, length);
            if (result != 0) {
                reportOnce("getsockopt(SO_PEERCRED) failed");
                return null;
            }
            return new PeerCredentials(Integer.toUnsignedLong(ucred.get(JAVA_INT, 0)),
                    Integer.toUnsignedLong(ucred.get(JAVA_INT, 4)), Integer.toUnsignedLong(ucred.get(JAVA_INT, 8)));
        } catch (Throwable e) {
            // IllegalAccessException without the export, IllegalCallerException without native access
            reportOnce(e.toString());
            return null;
        }
    }

    /**
     * As {@link #read}, for a channel that may have been closed meanwhile: {@code null} then. The check
     * after the call matters: a channel is marked closed before its descriptor is released, so a
     * descriptor that was reused for another client by the time of the call is always caught.
     */
    static PeerCredentials readWhileOpen(SocketChannel channel) {
        if (!channel.isOpen()) {
            return null;
        }
        PeerCredentials peer = read(channel);
        return channel.isOpen() ? peer : null;
    }

    private static void reportOnce(String reason) {
        if (!reportedFailure) {
            reportedFailure = true;
            LOG.warn("cannot read the credentials of Unix-domain clients ({}); run the JVM with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED and --enable-native-access=ALL-UNNAMED", reason);
        }
    }
}
