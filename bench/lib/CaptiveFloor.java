import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * bench/run's floor for the captive start (issue 14, goal 2): the least a Java NBD server must do for
 * {@code -U - memory SIZE --run 'CMD'}, so that the row can say how much of nbd4j's time is the JVM's
 * and the JDK's own. It starts, listens on a Unix socket in a private directory, runs CMD through
 * {@code /bin/sh} with {@code $uri} set, answers one client's fixed-newstyle handshake (every option but
 * INFO, GO, EXPORT_NAME and ABORT is unsupported; the export is SIZE bytes of zeroes), serves it until
 * it disconnects, and exits with CMD's status once CMD ends.
 *
 * <p>What it leaves out is what makes nbd4j a server: option parsing, layers, logging, virtual threads,
 * more than one client, structured replies, TLS. bench/run runs it with nbd4j's JVM options and an AOT
 * cache of its own, made by one training run.
 *
 * <p>It spells out the few protocol constants it needs rather than use {@code io.nbd4j.protocol}: with
 * nbd4j's jar on its class path it would no longer be a server without nbd4j.
 *
 * <p>Usage: {@code java -jar captive-floor.jar SIZE-BYTES CMD}
 */
public final class CaptiveFloor {
    private static final long NBDMAGIC = 0x4e42444d41474943L;
    private static final long IHAVEOPT = 0x49484156454f5054L;
    private static final long REPLY_MAGIC = 0x3e889045565a9L;
    private static final int REQUEST_MAGIC = 0x25609513;
    private static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    private static final int OPT_EXPORT_NAME = 1, OPT_ABORT = 2, OPT_INFO = 6, OPT_GO = 7;
    private static final int REP_ACK = 1, REP_INFO = 3, REP_ERR_UNSUP = 0x80000001;
    private static final int CMD_READ = 0, CMD_WRITE = 1, CMD_DISC = 2;
    private static final short FLAG_HAS_FLAGS = 1, FLAG_SEND_FLUSH = 4;
    private static final int EINVAL = 22;

    private CaptiveFloor() {}

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        Path dir = privateDirectory();
        Path socket = dir.resolve("sock");
        int status;
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            String script = "uri='nbd+unix:///?socket=" + socket + "'\n" + args[1];
            Process command = new ProcessBuilder("/bin/sh", "-c", script).inheritIO().start();
            Thread.ofPlatform().daemon().start(() -> serveOne(listener, size));
            status = command.waitFor();
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
        System.exit(status);
    }

    /**
     * A new directory under /tmp that only this user may enter, named as nbd4j names its own: not by
     * {@link Files#createTempDirectory}, whose name comes from a {@code SecureRandom}, which would
     * initialise the security providers on this thread before the socket does.
     */
    private static Path privateDirectory() throws IOException {
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        while (true) {
            Path dir = Path.of("/tmp", "captive-floor" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(dir, mode);
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    private static void serveOne(ServerSocketChannel listener, long size) {
        try (SocketChannel client = listener.accept()) {
            if (negotiate(client, size)) {
                transmit(client);
            }
        } catch (IOException e) {
            // The client went away: the command's status says what happened.
        }
    }

    /** Returns whether the client entered transmission. */
    private static boolean negotiate(SocketChannel client, long size) throws IOException {
        ByteBuffer greeting = ByteBuffer.allocate(18).putLong(NBDMAGIC).putLong(IHAVEOPT).putShort((short) 3);
        write(client, greeting.flip());
        read(client, 4); // the client's flags
        while (true) {
            ByteBuffer header = read(client, 16);
            header.getLong();
            int option = header.getInt();
            int length = header.getInt();
            read(client, length);
            switch (option) {
                case OPT_EXPORT_NAME -> {
                    write(client, ByteBuffer.allocate(10).putLong(size).putShort((short) (FLAG_HAS_FLAGS | FLAG_SEND_FLUSH)).flip());
                    return true;
                }
                case OPT_INFO, OPT_GO -> {
                    ByteBuffer info = ByteBuffer.allocate(12).putShort((short) 0).putLong(size)
                            .putShort((short) (FLAG_HAS_FLAGS | FLAG_SEND_FLUSH)).flip();
                    reply(client, option, REP_INFO, info);
                    reply(client, option, REP_ACK, ByteBuffer.allocate(0));
                    if (option == OPT_GO) {
                        return true;
                    }
                }
                case OPT_ABORT -> {
                    reply(client, option, REP_ACK, ByteBuffer.allocate(0));
                    return false;
                }
                default -> reply(client, option, REP_ERR_UNSUP, ByteBuffer.allocate(0));
            }
        }
    }

    private static void transmit(SocketChannel client) throws IOException {
        while (true) {
            ByteBuffer request = read(client, 28);
            if (request.getInt() != REQUEST_MAGIC) {
                return;
            }
            request.getShort();
            int type = request.getShort();
            long handle = request.getLong();
            request.getLong();
            int length = request.getInt();
            if (type == CMD_DISC) {
                return;
            }
            if (type == CMD_WRITE) {
                read(client, length);
            }
            boolean zeroes = type == CMD_READ;
            int error = type <= 4 ? 0 : EINVAL;
            ByteBuffer answer = ByteBuffer.allocate(16 + (zeroes ? length : 0))
                    .putInt(SIMPLE_REPLY_MAGIC).putInt(error).putLong(handle);
            write(client, answer.clear());
        }
    }

    private static void reply(SocketChannel client, int option, int type, ByteBuffer data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(20).putLong(REPLY_MAGIC).putInt(option).putInt(type)
                .putInt(data.remaining()).flip();
        write(client, header);
        write(client, data);
    }

    private static ByteBuffer read(SocketChannel client, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (client.read(buffer) < 0) {
                throw new IOException("the client closed the connection");
            }
        }
        return buffer.flip();
    }

    private static void write(SocketChannel client, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
    }
}
