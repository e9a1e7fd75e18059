import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.security.Security;

/**
 * What the first Unix-domain socket costs a fresh JVM, step by step. JDK 25's sun.nio.ch.UnixDomainSockets
 * makes a SecureRandom("NativePRNGNonBlocking") in its static initialiser, which loads the security
 * properties and instantiates the SUN provider. Run (see README.md):
 *
 *   javac --add-exports java.base/sun.security.provider=ALL-UNNAMED UnixSocketFirstUse.java
 *   java --add-exports java.base/sun.security.provider=ALL-UNNAMED -XX:+UseSerialGC \
 *        -XX:TieredStopAtLevel=1 -XX:AOTCacheOutput=u.aot UnixSocketFirstUse     # once, makes the cache
 *   java --add-exports java.base/sun.security.provider=ALL-UNNAMED -XX:+UseSerialGC \
 *        -XX:TieredStopAtLevel=1 -XX:AOTCache=u.aot UnixSocketFirstUse
 */
public class UnixSocketFirstUse {
    private static long last = System.nanoTime();

    private static void step(String what) {
        long now = System.nanoTime();
        System.out.printf("%-40s %5.1f ms%n", what, (now - last) / 1e6);
        last = System.nanoTime();
    }

    public static void main(String[] args) throws Exception {
        Security.getProperty("securerandom.source");
        step("security properties loaded");
        new sun.security.provider.Sun();
        step("new sun.security.provider.Sun()");
        Security.getProvider("SUN");
        step("the provider list's SUN (a second Sun)");
        SecureRandom.getInstance("NativePRNGNonBlocking");
        step("SecureRandom NativePRNGNonBlocking");
        try (SocketChannel unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            step("first Unix-domain SocketChannel");
        }
    }
}
