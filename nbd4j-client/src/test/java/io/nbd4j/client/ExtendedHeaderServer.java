package io.nbd4j.client;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.ErrorCode;
import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import io.nbd4j.protocol.ReplyType;
import io.nbd4j.protocol.TransmissionFlags;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A scripted NBD server for one connection that speaks extended headers, which no installed server does.
 * It encodes its replies by hand, independently of the client's codecs, and records every request it
 * decodes, so tests see both directions of the extended framing.
 *
 * <p>Script: reads return data for their first half and a hole for the rest; writes fail with ENOSPC and
 * a message; block status describes the export as 5 GiB of hole then the rest as data; everything else
 * succeeds with a NONE chunk. A read at {@link #MISBEHAVING_READ_OFFSET} gets a data chunk beyond its range.
 */
final class ExtendedHeaderServer implements AutoCloseable {
    static final long EXPORT_SIZE = 8L << 30;
    static final int CONTEXT_ID = 7;
    static final String WRITE_ERROR_MESSAGE = "scripted disk is full";
    /** A read at this offset is answered with data that lies outside the request, breaking the protocol. */
    static final long MISBEHAVING_READ_OFFSET = 0xBAD000;

    /** A request as the server decoded it. */
    record Request(int magic, int flags, int type, long cookie, long offset, long length) {}

    private final Path dir;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Throwable failure;

    /**
     * When set, the server stops reading before its last handshake reply (its socket stays open until
     * {@link #close}).
     */
    private final boolean deafAfterHandshake;
    private final CountDownLatch closing = new CountDownLatch(1);

    ExtendedHeaderServer() throws IOException {
        this(false);
    }

    ExtendedHeaderServer(boolean deafAfterHandshake) throws IOException {
        this.deafAfterHandshake = deafAfterHandshake;
        dir = Files.createTempDirectory("nbd4j-ext-server");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(dir.resolve("sock")));
        thread = Thread.ofVirtual().name("extended-header-server").start(this::serveOneClient);
    }

    NbdAddress address() {
        return NbdAddress.unix(dir.resolve("sock"));
    }

    List<Request> requests() {
        return requests;
    }

    /** A failure of the script itself (the client sent something it did not expect), or null. */
    Throwable failure() {
        return failure;
    }

    private void serveOneClient() {
        try (SocketChannel channel = listener.accept()) {
            channel.write(ByteBuffer.allocate(18).putLong(Magic.NBDMAGIC).putLong(Magic.IHAVEOPT)
                    .putShort((short) (HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES)).flip());
            read(channel, 4);
            negotiate(channel);
            if (deafAfterHandshake) {
                closing.await();
                return;
            }
            transmit(channel);
        } catch (EOFException | SocketException clientLeft) {
            // the client disconnected (a hard disconnect resets the connection); the script is over
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void negotiate(SocketChannel channel) throws IOException {
        while (true) {
            ByteBuffer header = read(channel, 16);
            if (header.getLong() != Magic.IHAVEOPT) {
                throw new IOException("bad option magic");
            }
            int option = header.getInt();
            ByteBuffer data = read(channel, header.getInt());
            switch (option) {
                case Option.EXTENDED_HEADERS -> optionReply(channel, option, OptionReply.ACK, new byte[0]);
                case Option.SET_META_CONTEXT -> {
                    byte[] name = MetaContexts.BASE_ALLOCATION.getBytes(StandardCharsets.UTF_8);
                    optionReply(channel, option, OptionReply.META_CONTEXT,
                            ByteBuffer.allocate(4 + name.length).putInt(CONTEXT_ID).put(name).array());
                    optionReply(channel, option, OptionReply.ACK, new byte[0]);
                }
                case Option.GO -> {
                    int flags = TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_FLUSH
                            | TransmissionFlags.SEND_TRIM | TransmissionFlags.SEND_WRITE_ZEROES;
                    optionReply(channel, option, OptionReply.INFO, ByteBuffer.allocate(12)
                            .putShort((short) Info.EXPORT).putLong(EXPORT_SIZE).putShort((short) flags).array());
                    if (deafAfterHandshake) {
                        // before the last reply: the client's first request may follow it at once
                        channel.shutdownInput();
                    }
                    optionReply(channel, option, OptionReply.ACK, new byte[0]);
                    return;
                }
                default -> optionReply(channel, option, OptionReply.ERR_UNSUP, new byte[0]);
            }
        }
    }

    private void transmit(SocketChannel channel) throws IOException {
        while (true) {
            ByteBuffer header = read(channel, 32);
            Request request = new Request(header.getInt(), Short.toUnsignedInt(header.getShort()),
                    Short.toUnsignedInt(header.getShort()), header.getLong(), header.getLong(), header.getLong());
            requests.add(request);
            if (request.magic() != Magic.EXTENDED_REQUEST) {
                throw new IOException("expected an extended request, got magic 0x"
                        + Integer.toHexString(request.magic()));
            }
            switch (request.type()) {
                case Command.DISC -> {
                    return;
                }
                case Command.READ -> {
                    if (request.offset() == MISBEHAVING_READ_OFFSET) {
                        chunk(channel, 0, ReplyType.OFFSET_DATA, request, ByteBuffer.allocate(9)
                                .putLong(request.offset() + request.length()).put((byte) 1).array());
                        continue;
                    }
                    long half = request.length() / 2;
                    ByteBuffer data = ByteBuffer.allocate(8 + (int) half).putLong(request.offset());
                    for (int i = 0; i < half; i++) {
                        data.put((byte) (i + 1));
                    }
                    chunk(channel, 0, ReplyType.OFFSET_DATA, request, data.array());
                    chunk(channel, 0, ReplyType.OFFSET_HOLE, request, ByteBuffer.allocate(12)
                            .putLong(request.offset() + half).putInt((int) (request.length() - half)).array());
                    chunk(channel, ReplyType.FLAG_DONE, ReplyType.NONE, request, new byte[0]);
                }
                case Command.WRITE -> {
                    read(channel, (int) request.length());
                    byte[] message = WRITE_ERROR_MESSAGE.getBytes(StandardCharsets.UTF_8);
                    chunk(channel, ReplyType.FLAG_DONE, ReplyType.ERROR, request,
                            ByteBuffer.allocate(6 + message.length).putInt(ErrorCode.ENOSPC)
                                    .putShort((short) message.length).put(message).array());
                }
                case Command.BLOCK_STATUS -> chunk(channel, ReplyType.FLAG_DONE, ReplyType.BLOCK_STATUS_EXT, request,
                        ByteBuffer.allocate(8 + 32).putInt(CONTEXT_ID).putInt(2)
                                .putLong(5L << 30).putLong(MetaContexts.STATE_HOLE | MetaContexts.STATE_ZERO)
                                .putLong(EXPORT_SIZE - (5L << 30)).putLong(0).array());
                default -> chunk(channel, ReplyType.FLAG_DONE, ReplyType.NONE, request, new byte[0]);
            }
        }
    }

    private static void optionReply(SocketChannel channel, int option, int type, byte[] data) throws IOException {
        write(channel, ByteBuffer.allocate(20 + data.length).putLong(Magic.OPTION_REPLY).putInt(option).putInt(type)
                .putInt(data.length).put(data).flip());
    }

    private static void chunk(SocketChannel channel, int flags, int type, Request request, byte[] payload)
            throws IOException {
        write(channel, ByteBuffer.allocate(32 + payload.length).putInt(Magic.EXTENDED_REPLY).putShort((short) flags)
                .putShort((short) type).putLong(request.cookie()).putLong(request.offset()).putLong(payload.length)
                .put(payload).flip());
    }

    private static ByteBuffer read(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException();
            }
        }
        return buffer.flip();
    }

    private static void write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        listener.close();
        thread.join();
        Files.deleteIfExists(dir.resolve("sock"));
        Files.deleteIfExists(dir);
    }
}
