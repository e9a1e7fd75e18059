package io.nbd4j.server;

import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-memory connection to a server (the EmbeddedChannel idea): two pipes, with
 * {@link NbdServer#serveOne} running on a virtual thread at the other end, and a raw NBD client that
 * writes exactly the bytes the test asks for and decodes what comes back. No sockets involved.
 */
final class TestClient implements AutoCloseable {
    private final WritableByteChannel out;
    private final ReadableByteChannel in;
    private final Thread serverSide;
    boolean extended;
    boolean structured;

    record OptionAnswer(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    record Chunk(int flags, int type, long cookie, long offset, byte[] payload) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(payload);
        }

        int errorValue() {
            return buffer().getInt();
        }
    }

    record Export(long size, int flags) {
        boolean has(int flag) {
            return (this.flags & flag) != 0;
        }
    }

    private TestClient(WritableByteChannel out, ReadableByteChannel in, Thread serverSide) {
        this.out = out;
        this.in = in;
        this.serverSide = serverSide;
    }

    static TestClient connect(NbdServer server) throws IOException {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        Thread t = Thread.ofVirtual().start(() -> server.serveOne(toServer.source(), toClient.sink()));
        return new TestClient(toServer.sink(), toClient.source(), t);
    }

    /** As {@link #connect(NbdServer)}, with the server writing to the client through {@code serverOutput}. */
    static TestClient connect(NbdServer server, java.util.function.UnaryOperator<WritableByteChannel> serverOutput)
            throws IOException {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        WritableByteChannel out = serverOutput.apply(toClient.sink());
        Thread t = Thread.ofVirtual().start(() -> server.serveOne(toServer.source(), out));
        return new TestClient(toServer.sink(), toClient.source(), t);
    }

    /** A client over a real socket; the server side runs inside the server, not here. */
    static TestClient over(SocketChannel socket) {
        return new TestClient(socket, socket, null);
    }

    // ---- raw bytes ----

    void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new EOFException("server closed the connection after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    /** Whether the server closed its end: reading gives end of stream. */
    boolean serverClosed() throws IOException {
        try {
            return in.read(ByteBuffer.allocate(1)) < 0;
        } catch (java.net.SocketException e) {
            // A server closing while bytes we sent are still unread resets the connection: closed too.
            if (String.valueOf(e.getMessage()).contains("Connection reset")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Everything the server sends until it closes (a reset counts as closing: a server closing while
     * bytes we sent are still unread resets the connection).
     */
    byte[] rest() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        try {
            while (in.read(chunk.clear()) >= 0) {
                all.write(chunk.array(), 0, chunk.position());
            }
        } catch (java.net.SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("Connection reset")) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    /** How many bytes the server has sent that were not read yet, without blocking (0 or 1 is enough here). */
    int available() throws IOException {
        SelectableChannel selectable = (SelectableChannel) in;
        selectable.configureBlocking(false);
        try {
            ByteBuffer probe = ByteBuffer.allocate(1);
            int n = in.read(probe);
            assertThat(n).as("server closed").isNotNegative();
            return n;
        } finally {
            selectable.configureBlocking(true);
        }
    }

    Thread.State serverThreadState() {
        return serverSide.getState();
    }

    /** Waits (bounded) for the server side of this connection to end. */
    void awaitServerSide() throws InterruptedException {
        assertThat(serverSide.join(java.time.Duration.ofSeconds(20))).as("server side ended").isTrue();
    }

    // ---- handshake ----

    int greeting() throws IOException {
        ByteBuffer g = read(18);
        assertThat(g.getLong()).isEqualTo(Magic.NBDMAGIC);
        assertThat(g.getLong()).isEqualTo(Magic.IHAVEOPT);
        return Short.toUnsignedInt(g.getShort());
    }

    void clientFlags(int flags) throws IOException {
        write(ByteBuffer.allocate(4).putInt(flags).flip());
    }

    /** Greeting plus client flags FIXED_NEWSTYLE | NO_ZEROES. */
    void start() throws IOException {
        greeting();
        clientFlags(HandshakeFlags.C_FIXED_NEWSTYLE | HandshakeFlags.C_NO_ZEROES);
    }

    void sendOption(int option, byte[] data) throws IOException {
        write(ByteBuffer.allocate(16 + data.length).putLong(Magic.IHAVEOPT).putInt(option).putInt(data.length).put(data).flip());
    }

    OptionAnswer readOptionReply() throws IOException {
        ByteBuffer h = read(20);
        assertThat(h.getLong()).isEqualTo(Magic.OPTION_REPLY);
        int option = h.getInt();
        int type = h.getInt();
        int length = h.getInt();
        return new OptionAnswer(option, type, read(length).array());
    }

    /** Replies up to and including the final one (ACK or an error). */
    List<OptionAnswer> option(int option, byte[] data) throws IOException {
        sendOption(option, data);
        List<OptionAnswer> answers = new ArrayList<>();
        while (true) {
            OptionAnswer a = readOptionReply();
            assertThat(a.option()).isEqualTo(option);
            answers.add(a);
            if (a.type() == OptionReply.ACK || OptionReply.isError(a.type())) {
                return answers;
            }
        }
    }

    int lastType(List<OptionAnswer> answers) {
        return answers.getLast().type();
    }

    static byte[] infoPayload(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length).putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    static byte[] metaPayload(String name, String... queries) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int size = 4 + n.length + 4;
        for (String q : queries) {
            size += 4 + q.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            byte[] qb = q.getBytes(StandardCharsets.UTF_8);
            b.putInt(qb.length).put(qb);
        }
        return b.array();
    }

    void structuredReplies() throws IOException {
        assertThat(lastType(option(Option.STRUCTURED_REPLY, new byte[0]))).isEqualTo(OptionReply.ACK);
        structured = true;
    }

    void extendedHeaders() throws IOException {
        assertThat(lastType(option(Option.EXTENDED_HEADERS, new byte[0]))).isEqualTo(OptionReply.ACK);
        structured = true;
        extended = true;
    }

    void baseAllocation(String export) throws IOException {
        List<OptionAnswer> answers = option(Option.SET_META_CONTEXT, metaPayload(export, MetaContexts.BASE_ALLOCATION));
        assertThat(answers).hasSize(2);
        assertThat(lastType(answers)).isEqualTo(OptionReply.ACK);
    }

    /** Sends GO and returns the export's size and flags; the connection is then in transmission. */
    Export go(String export) throws IOException {
        List<OptionAnswer> answers = option(Option.GO, infoPayload(export));
        assertThat(lastType(answers)).as("GO reply %s", answers.isEmpty() ? "" : answers.getLast().text()).isEqualTo(OptionReply.ACK);
        ByteBuffer info = ByteBuffer.wrap(answers.getFirst().data());
        assertThat(info.getShort()).isZero();
        return new Export(info.getLong(), Short.toUnsignedInt(info.getShort()));
    }

    /** The usual negotiation: structured replies, base:allocation, then GO on the default export. */
    Export negotiateStructured() throws IOException {
        start();
        structuredReplies();
        baseAllocation("");
        return go("");
    }

    Export negotiateSimple() throws IOException {
        start();
        return go("");
    }

    Export negotiateExtended() throws IOException {
        start();
        extendedHeaders();
        baseAllocation("");
        return go("");
    }

    // ---- transmission ----

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        int payloadLength = payload == null ? 0 : payload.length;
        ByteBuffer b = ByteBuffer.allocate(32 + payloadLength);
        b.putInt(extended ? Magic.EXTENDED_REQUEST : Magic.REQUEST).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putLong(offset);
        if (extended) {
            b.putLong(length);
        } else {
            b.putInt((int) length);
        }
        if (payload != null) {
            b.put(payload);
        }
        write(b.flip());
    }

    /** Reads a simple reply header, which must answer {@code cookie}; returns the error value. */
    int simpleReply(long cookie) throws IOException {
        SimpleReply reply = anySimpleReply();
        assertThat(reply.cookie()).isEqualTo(cookie);
        return reply.error();
    }

    /** A simple reply's header: the request it answers and its error value. */
    record SimpleReply(long cookie, int error) {}

    /** Reads a simple reply header, whichever request it answers: a server may answer pipelined requests in any order. */
    SimpleReply anySimpleReply() throws IOException {
        ByteBuffer h = read(16);
        assertThat(h.getInt()).isEqualTo(Magic.SIMPLE_REPLY);
        int error = h.getInt();
        return new SimpleReply(h.getLong(), error);
    }

    Chunk chunk() throws IOException {
        if (extended) {
            ByteBuffer h = read(32);
            assertThat(h.getInt()).isEqualTo(Magic.EXTENDED_REPLY);
            int flags = Short.toUnsignedInt(h.getShort());
            int type = Short.toUnsignedInt(h.getShort());
            long cookie = h.getLong();
            long offset = h.getLong();
            long length = h.getLong();
            return new Chunk(flags, type, cookie, offset, read((int) length).array());
        }
        ByteBuffer h = read(20);
        assertThat(h.getInt()).isEqualTo(Magic.STRUCTURED_REPLY);
        int flags = Short.toUnsignedInt(h.getShort());
        int type = Short.toUnsignedInt(h.getShort());
        long cookie = h.getLong();
        int length = h.getInt();
        return new Chunk(flags, type, cookie, -1, read(length).array());
    }

    /** Chunks up to and including the one with the done flag. */
    List<Chunk> chunks() throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        while (true) {
            Chunk c = chunk();
            chunks.add(c);
            if ((c.flags() & 1) != 0) {
                return chunks;
            }
        }
    }

    /** The error of a request without data: simple reply error, or the error chunk's value, or 0. */
    int replyError(long cookie) throws IOException {
        if (!extended && !structured) {
            return simpleReply(cookie);
        }
        // a structured connection may answer a data-less command either way; this server uses chunks
        // for errors and, without extended headers, simple replies for success
        if (!extended) {
            ByteBuffer peek = read(4);
            int magic = peek.getInt();
            if (magic == Magic.SIMPLE_REPLY) {
                ByteBuffer rest = read(12);
                int error = rest.getInt();
                assertThat(rest.getLong()).isEqualTo(cookie);
                return error;
            }
            assertThat(magic).isEqualTo(Magic.STRUCTURED_REPLY);
            ByteBuffer h = read(16);
            h.getShort();
            int type = Short.toUnsignedInt(h.getShort());
            assertThat(h.getLong()).isEqualTo(cookie);
            byte[] payload = read(h.getInt()).array();
            return type == 0 ? 0 : ByteBuffer.wrap(payload).getInt();
        }
        Chunk c = chunk();
        assertThat(c.cookie()).isEqualTo(cookie);
        return c.type() == 0 ? 0 : c.errorValue();
    }

    /** Closes the client's sending side only, so the server sees end of stream while replies can still be read. */
    void closeOutput() throws IOException {
        out.close();
    }

    /** Reads and drops everything until the server closes; returns how many bytes that was. */
    long drain() throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        long total = 0;
        int n;
        while ((n = in.read(sink.clear())) >= 0) {
            total += n;
        }
        return total;
    }

    void disconnect() throws IOException {
        request(0, io.nbd4j.protocol.Command.DISC, 0, 0, 0, null);
    }

    @Override
    public void close() throws IOException {
        out.close();
        in.close();
    }
}
