package io.nbd4j.interop;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A deliberately small NBD client that writes the wire format itself, so a test can send what no real client
 * would: garbage, a truncated header, an unknown command, an impossible length. It follows the protocol
 * document independently of nbd4j-protocol on purpose: a wrong constant there must not make both ends agree.
 * Only the fixed-newstyle handshake with {@code NBD_OPT_GO} and simple replies are spoken. Every read and
 * write has a deadline, so a server that stops answering fails the test instead of hanging it. Used by the
 * one test thread that opened it.
 */
final class RawNbdConnection implements AutoCloseable {
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454f5054L;
    static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;
    static final int REQUEST_MAGIC = 0x25609513;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int REQUEST_HEADER_LENGTH = 28;

    static final int FLAG_FIXED_NEWSTYLE = 1;
    static final int FLAG_NO_ZEROES = 2;
    static final int OPT_GO = 7;
    static final int REP_ACK = 1;
    static final int REP_INFO = 3;
    static final int INFO_EXPORT = 0;
    static final int TRANSMISSION_FLAG_READ_ONLY = 1 << 1;

    static final int CMD_READ = 0;
    static final int CMD_WRITE = 1;
    static final int CMD_DISC = 2;
    static final int CMD_FLUSH = 3;

    static final int EPERM = 1;
    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOVERFLOW = 75;

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private long exportSize = -1;
    private int transmissionFlags;
    private long nextCookie = 1;

    private RawNbdConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Connects and does nothing else: the caller speaks (or fails to speak) the handshake. */
    static RawNbdConnection connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new RawNbdConnection(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Connects, negotiates the default export with {@code NBD_OPT_GO} and enters transmission. */
    static RawNbdConnection negotiate(Path socket) throws IOException {
        RawNbdConnection c = connect(socket);
        try {
            int serverFlags = c.readGreeting();
            c.send(ByteBuffer.allocate(4).putInt(serverFlags & (FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES)).flip());
            c.optGoDefaultExport();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Reads the server's first 18 bytes, checks both magics and returns the handshake flags. */
    int readGreeting() throws IOException {
        ByteBuffer b = readFully(18);
        long magic = b.getLong();
        long option = b.getLong();
        if (magic != NBDMAGIC || option != IHAVEOPT) {
            throw new IOException("not a fixed-newstyle greeting: " + Long.toHexString(magic) + " "
                    + Long.toHexString(option));
        }
        return Short.toUnsignedInt(b.getShort());
    }

    long exportSize() {
        return exportSize;
    }

    boolean readOnly() {
        return (transmissionFlags & TRANSMISSION_FLAG_READ_ONLY) != 0;
    }

    /** Sends raw bytes, whatever they are. */
    void send(byte[] bytes) throws IOException {
        send(ByteBuffer.wrap(bytes));
    }

    /** Sends a request header with a fresh cookie and returns the cookie. */
    long sendRequest(int type, int flags, long offset, int length) throws IOException {
        long cookie = nextCookie++;
        send(requestHeader(type, flags, cookie, offset, length));
        return cookie;
    }

    /** The 28 bytes of a request header, for tests that send only part of one. */
    static ByteBuffer requestHeader(int type, int flags, long cookie, long offset, int length) {
        return ByteBuffer.allocate(REQUEST_HEADER_LENGTH)
                .putInt(REQUEST_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putLong(offset).putInt(length)
                .flip();
    }

    /** Reads a simple reply for {@code cookie}; {@code dataLength} bytes follow it when the error is 0. */
    SimpleReply readReply(long cookie, int dataLength) throws IOException {
        ByteBuffer h = readFully(16);
        int magic = h.getInt();
        int error = h.getInt();
        long got = h.getLong();
        if (magic != SIMPLE_REPLY_MAGIC) {
            throw new IOException("expected a simple reply, got magic " + Integer.toHexString(magic));
        }
        if (got != cookie) {
            throw new IOException("reply for cookie " + got + ", expected " + cookie);
        }
        byte[] data = new byte[0];
        if (error == 0 && dataLength > 0) {
            data = new byte[dataLength];
            readFully(dataLength).get(data);
        }
        return new SimpleReply(error, data);
    }

    SimpleReply read(long offset, int length) throws IOException {
        return readReply(sendRequest(CMD_READ, 0, offset, length), length);
    }

    SimpleReply write(long offset, byte[] data) throws IOException {
        long cookie = sendRequest(CMD_WRITE, 0, offset, data.length);
        send(data);
        return readReply(cookie, 0);
    }

    SimpleReply flush() throws IOException {
        return readReply(sendRequest(CMD_FLUSH, 0, 0, 0), 0);
    }

    /** Asks the server to end the connection, as a polite client does before closing. */
    void disconnect() throws IOException {
        sendRequest(CMD_DISC, 0, 0, 0);
    }

    /** Half-closes: the server sees end-of-file on its next read. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Reads and discards until the server closes the connection. Returns true if it did so within the
     * deadline (a reset counts as closed), false if it is still open.
     */
    boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer sink = ByteBuffer.allocate(65536);
        while (true) {
            sink.clear();
            int n;
            try {
                n = channel.read(sink);
            } catch (IOException reset) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            if (n == 0 && !await(SelectionKey.OP_READ, deadline)) {
                return false;
            }
        }
    }

    /** Sends one option with its data, in the fixed newstyle framing. */
    void sendOption(int option, byte[] data) throws IOException {
        send(ByteBuffer.allocate(16 + data.length).putLong(IHAVEOPT).putInt(option).putInt(data.length).put(data).flip());
    }

    /** Reads one option reply, whatever its type. */
    OptionReply readOptionReply() throws IOException {
        ByteBuffer h = readFully(20);
        long magic = h.getLong();
        if (magic != OPTION_REPLY_MAGIC) {
            throw new IOException("bad option reply magic " + Long.toHexString(magic));
        }
        int option = h.getInt();
        int type = h.getInt();
        return new OptionReply(option, type, readFully(h.getInt()).array());
    }

    private void optGoDefaultExport() throws IOException {
        // IHAVEOPT, option, length, then the data: name length 0 (the default export), no info requests.
        send(ByteBuffer.allocate(8 + 4 + 4 + 4 + 2)
                .putLong(IHAVEOPT).putInt(OPT_GO).putInt(6).putInt(0).putShort((short) 0)
                .flip());
        while (true) {
            ByteBuffer h = readFully(20);
            long magic = h.getLong();
            int option = h.getInt();
            int type = h.getInt();
            int length = h.getInt();
            if (magic != OPTION_REPLY_MAGIC || option != OPT_GO) {
                throw new IOException("bad option reply: magic " + Long.toHexString(magic) + " option " + option);
            }
            ByteBuffer data = readFully(length);
            if (type == REP_ACK) {
                if (exportSize < 0) {
                    throw new IOException("NBD_OPT_GO acknowledged without NBD_INFO_EXPORT");
                }
                return;
            }
            if (type < 0) {
                throw new IOException("NBD_OPT_GO refused with reply type 0x" + Integer.toHexString(type));
            }
            if (type == REP_INFO && length >= 12 && data.getShort() == INFO_EXPORT) {
                exportSize = data.getLong();
                transmissionFlags = Short.toUnsignedInt(data.getShort());
            }
        }
    }

    private void send(ByteBuffer b) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (b.hasRemaining()) {
            if (channel.write(b) == 0 && !await(SelectionKey.OP_WRITE, deadline)) {
                throw new IOException("server did not accept our bytes within " + DEADLINE);
            }
        }
    }

    private ByteBuffer readFully(int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                throw new EOFException("server closed the connection after " + b.position() + " of " + length + " bytes");
            }
            if (n == 0 && !await(SelectionKey.OP_READ, deadline)) {
                throw new IOException("no reply within " + DEADLINE + " (" + b.position() + " of " + length + " bytes)");
            }
        }
        return b.flip();
    }

    /** Waits until the channel is ready for {@code op}; false once the deadline has passed. */
    private boolean await(int op, long deadline) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            return false;
        }
        key.interestOps(op);
        selector.select(remainingMillis);
        selector.selectedKeys().clear();
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /**
     * A simple reply.
     *
     * @param error the NBD error number, 0 for success
     * @param data  the payload of a successful read, else empty
     */
    record SimpleReply(int error, byte[] data) {}

    /**
     * An option reply.
     *
     * @param option the option it answers
     * @param type   the reply type (errors have the top bit set, so are negative)
     * @param data   the reply's data
     */
    record OptionReply(int option, int type, byte[] data) {}
}
