package io.nbd4j.client;

import io.nbd4j.protocol.ClientHandshakeDecoder;
import io.nbd4j.protocol.ClientHandshakeDecoder.BlockSizeItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.DescriptionItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.ExportItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.ExportSizeAndFlags;
import io.nbd4j.protocol.ClientHandshakeDecoder.InfoItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.MetaContextEntry;
import io.nbd4j.protocol.ClientHandshakeDecoder.NameItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.OptionReplyHeader;
import io.nbd4j.protocol.ClientHandshakeDecoder.ServerEntry;
import io.nbd4j.protocol.ClientHandshakeEncoder;
import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import java.io.IOException;
import javax.net.ssl.SSLEngine;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connection in the option-haggling phase of the fixed newstyle handshake. Each method sends one
 * option and reads its replies; {@link #go}, {@link #exportName} and {@link #abort} end the phase. The
 * NO_ZEROES client flag is sent whenever the server offers it. Against a server without fixed newstyle
 * only {@link #exportName} is valid; the other methods still send their option, for protocol tests.
 *
 * <p>Threading: not thread-safe. One thread drives a negotiation from {@link #open} to the method that
 * ends it; the {@link NbdClient} it returns is thread-safe.
 */
public final class NbdNegotiation implements AutoCloseable {
    /** Option replies carry names and short lists; anything larger means a broken server. */
    private static final int MAX_REPLY_PAYLOAD = 1 << 20;

    private ByteStream stream;
    private final NbdClient.Options options;
    private final int handshakeFlags;
    private boolean structuredReplies;
    private boolean extendedHeaders;
    private boolean tls;
    private String metaContextExport;
    private List<MetaContext> metaContexts = List.of();
    private boolean ended;

    private NbdNegotiation(ByteStream stream, NbdClient.Options options, int handshakeFlags) {
        this.stream = stream;
        this.options = options;
        this.handshakeFlags = handshakeFlags;
    }

    /** Connects with {@link NbdClient.Options#defaults()}. */
    public static NbdNegotiation open(NbdAddress address) throws IOException {
        return open(address, NbdClient.Options.defaults());
    }

    /**
     * Connects to {@code address}, reads the server's greeting and answers it; when {@code options}
     * enable TLS, negotiates {@code NBD_OPT_STARTTLS} next, so that every later option is encrypted. A
     * server that refuses TLS (or lacks fixed newstyle) is used in plaintext in mode on and fails the
     * connection in mode require. Of the rest of {@code options} only the transmission settings (such as
     * the disconnect timeout) are used here; what to negotiate is up to the caller.
     */
    public static NbdNegotiation open(NbdAddress address, NbdClient.Options options) throws IOException {
        NbdNegotiation negotiation = greet(address, options);
        TlsOptions tls = options.tls();
        if (!tls.enabled()) {
            return negotiation;
        }
        try {
            boolean fixedNewstyle = (negotiation.handshakeFlags & HandshakeFlags.FIXED_NEWSTYLE) != 0;
            boolean encrypted = fixedNewstyle && negotiation.startTls(tls.newEngine(address));
            if (!encrypted && tls.mode() == TlsOptions.Mode.REQUIRE) {
                throw new NbdClientException("the server at " + address + " refused TLS, which is required");
            }
            return negotiation;
        } catch (IOException | RuntimeException e) {
            negotiation.close();
            throw e;
        }
    }

    private static NbdNegotiation greet(NbdAddress address, NbdClient.Options options) throws IOException {
        ByteStream stream = Transport.open(address);
        try {
            int serverFlags = ClientHandshakeDecoder.decodeGreeting(
                    Transport.readBytes(stream, ClientHandshakeDecoder.GREETING_SIZE));
            int clientFlags = 0;
            if ((serverFlags & HandshakeFlags.FIXED_NEWSTYLE) != 0) {
                clientFlags |= HandshakeFlags.C_FIXED_NEWSTYLE;
            }
            if ((serverFlags & HandshakeFlags.NO_ZEROES) != 0) {
                clientFlags |= HandshakeFlags.C_NO_ZEROES;
            }
            stream.write(ClientHandshakeEncoder.clientFlags(clientFlags));
            return new NbdNegotiation(stream, options, serverFlags);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** The 16-bit handshake flags of the server's greeting ({@link HandshakeFlags}). */
    public int handshakeFlags() {
        return handshakeFlags;
    }

    public boolean structuredRepliesNegotiated() {
        return structuredReplies;
    }

    public boolean extendedHeadersNegotiated() {
        return extendedHeaders;
    }

    /** Whether {@link #startTls} succeeded: everything from then on is encrypted. */
    public boolean tlsNegotiated() {
        return tls;
    }

    /** {@code NBD_OPT_LIST}: the exports the server advertises. */
    public List<ExportEntry> list() throws IOException {
        send(Option.LIST, new byte[0]);
        List<ExportEntry> exports = new ArrayList<>();
        while (true) {
            Reply reply = readReply(Option.LIST);
            switch (reply.header.type()) {
                case OptionReply.SERVER -> {
                    ServerEntry entry = ClientHandshakeDecoder.decodeServer(reply.payload);
                    exports.add(new ExportEntry(entry.name(), entry.description()));
                }
                case OptionReply.ACK -> {
                    return List.copyOf(exports);
                }
                default -> throw unexpected(reply);
            }
        }
    }

    /**
     * {@code NBD_OPT_INFO}: details of export {@code name} without leaving option mode.
     *
     * @param infoRequests {@link io.nbd4j.protocol.Info} types to ask for; {@code NBD_INFO_EXPORT} is always sent
     * @throws NbdOptionException if the server refuses, e.g. with {@code NBD_REP_ERR_UNKNOWN}
     */
    public ExportInfo info(String name, List<Integer> infoRequests) throws IOException {
        return exportInfo(Option.INFO, name, infoRequests);
    }

    /** {@code NBD_OPT_LIST_META_CONTEXT}: contexts of export {@code name} matching {@code queries} (all if empty). */
    public List<MetaContext> listMetaContexts(String name, List<String> queries) throws IOException {
        return metaContextOption(Option.LIST_META_CONTEXT, name, queries);
    }

    /**
     * {@code NBD_OPT_SET_META_CONTEXT}: selects the contexts matching {@code queries} for export {@code name}.
     * They apply to block status only if the session then enters export {@code name}; the server may
     * select none (an empty list).
     */
    public List<MetaContext> setMetaContexts(String name, List<String> queries) throws IOException {
        List<MetaContext> selected = metaContextOption(Option.SET_META_CONTEXT, name, queries);
        metaContextExport = name;
        metaContexts = selected;
        return selected;
    }

    /**
     * {@code NBD_OPT_STRUCTURED_REPLY}: returns whether the server agreed.
     *
     * @throws NbdOptionException only for {@code NBD_REP_ERR_SHUTDOWN}; other refusals return false
     */
    public boolean structuredReplies() throws IOException {
        if (acknowledged(Option.STRUCTURED_REPLY)) {
            structuredReplies = true;
            return true;
        }
        return false;
    }

    /**
     * {@code NBD_OPT_EXTENDED_HEADERS}: returns whether the server agreed. Extended headers imply structured
     * replies and make every request and reply header carry 64-bit lengths.
     *
     * @throws NbdOptionException only for {@code NBD_REP_ERR_SHUTDOWN}; other refusals return false
     */
    public boolean extendedHeaders() throws IOException {
        if (acknowledged(Option.EXTENDED_HEADERS)) {
            extendedHeaders = true;
            structuredReplies = true;
            return true;
        }
        return false;
    }

    /**
     * {@code NBD_OPT_STARTTLS}: on the server's ACK runs the TLS handshake with {@code engine} (client
     * mode) and returns true; everything after it, the rest of the negotiation included, is encrypted.
     * The protocol wants STARTTLS before any option whose answer matters, since a server may forget
     * what was negotiated in plaintext.
     *
     * @return false if the server refuses TLS ({@code NBD_REP_ERR_UNSUP}, {@code ERR_POLICY} …); the
     *     negotiation then goes on in plaintext
     * @throws javax.net.ssl.SSLException if the TLS handshake fails, e.g. the server's certificate is not
     *     trusted; the connection is closed
     */
    public boolean startTls(SSLEngine engine) throws IOException {
        if (!acknowledged(Option.STARTTLS)) {
            return false;
        }
        try {
            stream = TlsStream.start(stream, engine);
        } catch (IOException e) {
            throw broken(e);
        }
        tls = true;
        return true;
    }

    /** {@link #go(String, List)} with the info requests of this negotiation's options. */
    public NbdClient go(String name) throws IOException {
        return go(name, options.infoRequests());
    }

    /**
     * {@code NBD_OPT_GO}: enters the transmission phase on export {@code name}. On a refusal the
     * negotiation stays usable. A caller that asks for {@code NBD_INFO_BLOCK_SIZE} promises the server to
     * honour the {@link ExportInfo#blockSizes()} it returns; this client does not split or align requests.
     *
     * @throws NbdOptionException if the server refuses; {@code NBD_REP_ERR_UNSUP} means it only knows
     *     {@link #exportName}
     */
    public NbdClient go(String name, List<Integer> infoRequests) throws IOException {
        ExportInfo export = exportInfo(Option.GO, name, infoRequests);
        return enterTransmission(name, export);
    }

    /**
     * {@code NBD_OPT_EXPORT_NAME}: the old way to enter the transmission phase. A server that refuses
     * simply closes the connection, which surfaces as an {@link java.io.EOFException}.
     */
    public NbdClient exportName(String name) throws IOException {
        send(Option.EXPORT_NAME, ClientHandshakeEncoder.string("export name", name));
        ExportSizeAndFlags reply = ClientHandshakeDecoder.decodeExportName(
                Transport.readBytes(stream, ClientHandshakeDecoder.EXPORT_NAME_REPLY_SIZE));
        if ((handshakeFlags & HandshakeFlags.NO_ZEROES) == 0) {
            Transport.readBytes(stream, ClientHandshakeDecoder.EXPORT_NAME_REPLY_PADDING);
        }
        ExportInfo export = new ExportInfo(name, Optional.empty(), reply.size(), reply.transmissionFlags(),
                Optional.empty());
        return enterTransmission(name, export);
    }

    /** {@code NBD_OPT_ABORT}: the soft way to leave; closes the connection whatever the server answers. */
    public void abort() throws IOException {
        checkOpen();
        ended = true;
        try (ByteStream closing = stream) {
            stream.write(ClientHandshakeEncoder.option(Option.ABORT, new byte[0]));
            // The server may close without replying (older servers did); either ending is fine.
            readReply(Option.ABORT);
        } catch (IOException ignored) {
            // Nothing is left to protect: the session is over either way.
        }
    }

    /**
     * Sends any option and returns every reply up to and including the final one ({@code NBD_REP_ACK} or
     * an error), for protocol tests of options this class has no method for. ACKs of
     * {@code NBD_OPT_STRUCTURED_REPLY} and {@code NBD_OPT_EXTENDED_HEADERS} are recorded so that later
     * framing stays right; a raw {@code NBD_OPT_SET_META_CONTEXT} does not select contexts for
     * {@link NbdClient#blockStatus}.
     *
     * @param data the option data; read before this method returns, not retained
     * @throws IllegalArgumentException for {@code NBD_OPT_EXPORT_NAME} and {@code NBD_OPT_GO}, whose success
     *     leaves option mode: use {@link #exportName} and {@link #go}
     */
    public List<RawOptionReply> rawOption(int option, byte[] data) throws IOException {
        if (option == Option.EXPORT_NAME || option == Option.GO) {
            throw new IllegalArgumentException("rawOption cannot send NBD_OPT_" + Option.name(option)
                    + "; use exportName() or go()");
        }
        send(option, data);
        List<RawOptionReply> replies = new ArrayList<>();
        while (true) {
            Reply reply = readReply(option);
            byte[] payload = new byte[reply.payload.remaining()];
            reply.payload.get(payload);
            replies.add(new RawOptionReply(reply.header.option(), reply.header.type(), payload));
            int type = reply.header.type();
            if (type == OptionReply.ACK) {
                if (option == Option.STRUCTURED_REPLY) {
                    structuredReplies = true;
                } else if (option == Option.EXTENDED_HEADERS) {
                    extendedHeaders = true;
                    structuredReplies = true;
                } else if (option == Option.ABORT) {
                    ended = true;
                    stream.close();
                }
            }
            if (type == OptionReply.ACK || OptionReply.isError(type)) {
                return List.copyOf(replies);
            }
        }
    }

    /** Ends the negotiation if no method did: sends {@code NBD_OPT_ABORT} without waiting and closes. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        try (ByteStream closing = stream) {
            stream.write(ClientHandshakeEncoder.option(Option.ABORT, new byte[0]));
        } catch (IOException ignored) {
            // The connection is going away; a server that is already gone needs no goodbye.
        }
    }

    private NbdClient enterTransmission(String name, ExportInfo export) {
        ended = true;
        List<MetaContext> contexts = name.equals(metaContextExport) ? metaContexts : List.of();
        return new NbdClient(stream, export, structuredReplies, extendedHeaders, tls, contexts, options);
    }

    private ExportInfo exportInfo(int option, String name, List<Integer> infoRequests) throws IOException {
        send(option, ClientHandshakeEncoder.infoRequest(name, infoRequests));
        String canonicalName = name;
        Optional<String> description = Optional.empty();
        Optional<BlockSizes> blockSizes = Optional.empty();
        ExportItem export = null;
        while (true) {
            Reply reply = readReply(option);
            switch (reply.header.type()) {
                case OptionReply.INFO -> {
                    InfoItem item = ClientHandshakeDecoder.decodeInfo(reply.payload);
                    switch (item) {
                        case ExportItem e -> export = e;
                        case NameItem n -> canonicalName = n.name();
                        case DescriptionItem d -> description = Optional.of(d.description());
                        case BlockSizeItem b -> blockSizes = Optional.of(
                                new BlockSizes(b.minimum(), b.preferred(), b.maximum()));
                        case ClientHandshakeDecoder.UnknownItem ignored -> { }
                    }
                }
                case OptionReply.ACK -> {
                    if (export == null) {
                        throw new ProtocolException("server acknowledged NBD_OPT_" + Option.name(option)
                                + " without sending NBD_INFO_EXPORT");
                    }
                    return new ExportInfo(canonicalName, description, export.size(), export.transmissionFlags(),
                            blockSizes);
                }
                default -> throw unexpected(reply);
            }
        }
    }

    private List<MetaContext> metaContextOption(int option, String name, List<String> queries) throws IOException {
        send(option, ClientHandshakeEncoder.metaContextRequest(name, queries));
        List<MetaContext> contexts = new ArrayList<>();
        while (true) {
            Reply reply = readReply(option);
            switch (reply.header.type()) {
                case OptionReply.META_CONTEXT -> {
                    MetaContextEntry entry = ClientHandshakeDecoder.decodeMetaContext(reply.payload);
                    contexts.add(new MetaContext(entry.id(), entry.name()));
                }
                case OptionReply.ACK -> {
                    return List.copyOf(contexts);
                }
                default -> throw unexpected(reply);
            }
        }
    }

    private boolean acknowledged(int option) throws IOException {
        send(option, new byte[0]);
        Reply reply = readReply(option);
        int type = reply.header.type();
        if (type == OptionReply.ACK) {
            return true;
        }
        if (type == OptionReply.ERR_SHUTDOWN || !OptionReply.isError(type)) {
            throw unexpected(reply);
        }
        return false;
    }

    private void send(int option, byte[] data) throws IOException {
        checkOpen();
        try {
            stream.write(ClientHandshakeEncoder.option(option, data));
        } catch (IOException e) {
            throw broken(e);
        }
    }

    private Reply readReply(int option) throws IOException {
        try {
            return readReplyOrBreak(option);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    /** After a failed read or write the stream is out of step with the server: nothing more can be sent. */
    private IOException broken(IOException cause) {
        ended = true;
        try {
            stream.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
        return cause;
    }

    private Reply readReplyOrBreak(int option) throws IOException {
        OptionReplyHeader header = ClientHandshakeDecoder.decodeOptionReplyHeader(
                Transport.readBytes(stream, ClientHandshakeDecoder.OPTION_REPLY_HEADER_SIZE));
        if (header.option() != option) {
            throw new ProtocolException("server answered NBD_OPT_" + Option.name(header.option())
                    + " while NBD_OPT_" + Option.name(option) + " was pending");
        }
        if (header.length() > MAX_REPLY_PAYLOAD) {
            throw new ProtocolException("option reply of " + header.length() + " bytes exceeds the "
                    + MAX_REPLY_PAYLOAD + "-byte limit");
        }
        return new Reply(header, Transport.readBytes(stream, header.length()));
    }

    /** An error reply becomes {@link NbdOptionException}; any other type here is a protocol violation. */
    private static IOException unexpected(Reply reply) {
        int type = reply.header.type();
        if (OptionReply.isError(type)) {
            return new NbdOptionException(reply.header.option(), type,
                    ClientHandshakeDecoder.decodeErrorMessage(reply.payload));
        }
        return new ProtocolException("unexpected reply type " + type + " to NBD_OPT_"
                + Option.name(reply.header.option()));
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("negotiation has ended (go, exportName, abort or close was called,"
                    + " or the connection broke)");
        }
    }

    private record Reply(OptionReplyHeader header, ByteBuffer payload) {}
}
