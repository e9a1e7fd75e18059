package io.nbd4j.server.handshake;

import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import io.nbd4j.protocol.ServerOptionCodec;
import io.nbd4j.protocol.ServerOptionCodec.InfoRequest;
import io.nbd4j.protocol.ServerOptionCodec.MetaContextRequest;
import io.nbd4j.protocol.ServerOptionCodec.OptionHeader;
import io.nbd4j.server.LayerStack;
import io.nbd4j.server.ServerSettings;
import io.nbd4j.server.TlsSettings;
import io.nbd4j.server.backend.LayerLocks;
import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.Export;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The fixed newstyle handshake of one connection: greeting, client flags, then option haggling until
 * the client enters transmission ({@code NBD_OPT_GO} or {@code NBD_OPT_EXPORT_NAME}), aborts, or
 * breaks the protocol. Holds no lock of any layer while it waits for the client.
 *
 * <p>With TLS enabled, {@code NBD_OPT_STARTTLS} switches to an encrypting transport and forgets what
 * was negotiated in plaintext. With TLS required, every option but STARTTLS and ABORT gets
 * {@code NBD_REP_ERR_TLS_REQD} before then (EXPORT_NAME, which cannot carry an error, ends the
 * connection), so nothing about the exports is told to a plaintext client.
 *
 * <p><b>Threads.</b> Runs on the connection's thread only.
 */
public final class Handshake {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    /** Longest option payload the server reads; longer ones get {@code ERR_TOO_BIG}. */
    static final int MAX_OPTION_LENGTH = 64 << 10;
    /** Longest option payload the server skips to answer {@code ERR_TOO_BIG}; longer ones end the connection. */
    static final int MAX_SKIPPED_OPTION_LENGTH = 1 << 20;
    /** The id the server gives {@code base:allocation} in {@code NBD_REP_META_CONTEXT}. */
    static final int BASE_ALLOCATION_ID = 1;

    private final long connectionId;
    private final ServerSettings settings;
    private final ExportCatalog catalog;
    private final ExportOpener opener;
    private final TlsSettings tls;
    private Transport transport;
    private final ByteBuffer optionHeader = ByteBuffer.allocate(ServerOptionCodec.OPTION_HEADER_SIZE);

    private boolean fixedNewstyle;
    private boolean noZeroes;
    private boolean structuredReplies;
    private boolean extendedHeaders;
    private String metaContextExport;   // export named by the last successful SET_META_CONTEXT selecting a context

    /** A handshake that tells {@code clock} while the server opens an export, so the time is not the client's. */
    public Handshake(Transport transport, ClientConnection connection, ServerSettings settings, LayerStack stack, LayerLocks locks,
                     OpeningClock clock) {
        this.transport = transport;
        this.tls = settings.tls();
        this.connectionId = connection.client().connectionId();
        this.settings = settings;
        this.catalog = new ExportCatalog(stack);
        this.opener = new ExportOpener(connection, settings, locks, catalog, clock);
    }

    /**
     * Runs the handshake.
     *
     * @return the session to serve, or {@code null} when the client aborted or went away politely
     * @throws ProtocolException when the client broke the protocol and the connection must close
     */
    public Session run() throws IOException {
        int offered = (HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES) & settings.maskHandshake();
        ByteBuffer greeting = ByteBuffer.allocate(18).putLong(Magic.NBDMAGIC).putLong(Magic.IHAVEOPT)
                .putShort((short) offered).flip();
        transport.writeFully(greeting);

        ByteBuffer clientFlags = ByteBuffer.allocate(4);
        transport.readFully(clientFlags);
        int flags = clientFlags.flip().getInt();
        if ((flags & ~offered) != 0) {
            throw new ProtocolException(String.format("client flags 0x%x include flags the server did not offer (0x%x)", flags, offered));
        }
        fixedNewstyle = (flags & HandshakeFlags.C_FIXED_NEWSTYLE) != 0;
        noZeroes = (flags & HandshakeFlags.C_NO_ZEROES) != 0;

        for (int count = 0; count < settings.maxOptions(); count++) {
            optionHeader.clear();
            transport.readFully(optionHeader);
            OptionHeader header = ServerOptionCodec.decodeHeader(optionHeader.flip());
            int option = header.option();
            if (!fixedNewstyle && option != Option.EXPORT_NAME) {
                throw new ProtocolException("client without fixed newstyle sent option " + Option.name(option));
            }
            if (header.length() > MAX_OPTION_LENGTH) {
                if (header.length() > MAX_SKIPPED_OPTION_LENGTH) {
                    throw new ProtocolException("option " + Option.name(option) + " declares " + header.length() + " bytes of data");
                }
                transport.skip(header.length(), ByteBuffer.allocate(8192));
                if (!refusedForWantOfTls(option)) {
                    error(option, OptionReply.ERR_TOO_BIG, "option data is larger than " + MAX_OPTION_LENGTH + " bytes");
                }
                continue;
            }
            ByteBuffer data = ByteBuffer.allocate((int) header.length());
            transport.readFully(data);
            data.flip();
            LOG.debug("conn {}: option {} ({} bytes)", connectionId, Option.name(option), header.length());
            if (refusedForWantOfTls(option)) {
                continue;
            }
            switch (option) {
                case Option.EXPORT_NAME -> {
                    return exportName(data);
                }
                case Option.ABORT -> {
                    ack(option);
                    return null;
                }
                case Option.GO, Option.INFO -> {
                    Session session = infoOrGo(option, data);
                    if (session != null) {
                        return session;
                    }
                }
                case Option.LIST -> list(data);
                case Option.STRUCTURED_REPLY -> structuredReply(data);
                case Option.EXTENDED_HEADERS -> extendedHeaders(data);
                case Option.LIST_META_CONTEXT, Option.SET_META_CONTEXT -> metaContext(option, data);
                case Option.STARTTLS -> startTls(data);
                default -> error(option, OptionReply.ERR_UNSUP, "option " + Option.name(option) + " is not supported");
            }
        }
        throw new ProtocolException("client sent " + settings.maxOptions() + " options without entering transmission (max options)");
    }

    /**
     * In require mode before TLS: answers {@code ERR_TLS_REQD} and returns true for every option but
     * STARTTLS and ABORT.
     *
     * @throws ProtocolException for EXPORT_NAME, whose only possible refusal is to hang up
     */
    private boolean refusedForWantOfTls(int option) throws IOException {
        if (tls.mode() != TlsSettings.Mode.REQUIRE || transport.isTls()
                || option == Option.STARTTLS || option == Option.ABORT) {
            return false;
        }
        if (option == Option.EXPORT_NAME) {
            throw new ProtocolException("NBD_OPT_EXPORT_NAME without TLS, which this server requires");
        }
        error(option, OptionReply.ERR_TLS_REQD, "TLS is required: send NBD_OPT_STARTTLS first");
        return true;
    }

    private Session exportName(ByteBuffer data) throws IOException {
        if (data.remaining() > ServerOptionCodec.MAX_STRING_BYTES) {
            throw new ProtocolException("export name of " + data.remaining() + " bytes is too long");
        }
        String requested = ServerOptionCodec.decodeUtf8(data, "export name");
        OpenedExport export;
        try {
            export = opener.open(requested, false, structuredReplies, transport.isTls());
        } catch (ExportRefusedException e) {
            // EXPORT_NAME cannot carry an error: the only answer is to hang up
            throw new ProtocolException("export '" + requested + "' refused: " + e.getMessage());
        }
        transport.writeFully(ServerOptionCodec.exportNameReply(export.size(), export.transmissionFlags(), noZeroes));
        return session(requested, export);
    }

    private Session infoOrGo(int option, ByteBuffer data) throws IOException {
        InfoRequest request;
        try {
            request = ServerOptionCodec.decodeInfoRequest(data);
        } catch (ProtocolException e) {
            error(option, OptionReply.ERR_INVALID, e.getMessage());
            return null;
        }
        boolean go = option == Option.GO;
        OpenedExport export;
        try {
            export = opener.open(request.exportName(), !go, structuredReplies, transport.isTls());
        } catch (ExportRefusedException e) {
            LOG.info("conn {}: export '{}' refused: {}", connectionId, request.exportName(), e.getMessage());
            error(option, OptionReply.ERR_UNKNOWN, e.getMessage());
            return null;
        }
        try {
            sendInfos(option, request, export);
        } catch (IOException | RuntimeException e) {
            export.backend().close();
            throw e;
        }
        if (!go) {
            // the probe is over before the client hears so, so it never overlaps what the client does next
            opener.release(export);
            ack(option);
            return null;
        }
        try {
            ack(option);
        } catch (IOException | RuntimeException e) {
            export.backend().close();
            throw e;
        }
        return session(request.exportName(), export);
    }

    private void sendInfos(int option, InfoRequest request, OpenedExport export) throws IOException {
        reply(option, OptionReply.INFO, ServerOptionCodec.infoExport(export.size(), export.transmissionFlags()));
        for (int info : new LinkedHashSet<>(request.infos())) {
            switch (info) {
                case Info.NAME -> reply(option, OptionReply.INFO, ServerOptionCodec.infoString(Info.NAME, export.name()));
                case Info.DESCRIPTION -> {
                    String description = opener.description(export);
                    if (description != null) {
                        reply(option, OptionReply.INFO, ServerOptionCodec.infoString(Info.DESCRIPTION, description));
                    }
                }
                case Info.BLOCK_SIZE -> reply(option, OptionReply.INFO, ServerOptionCodec.infoBlockSize(
                        export.minimumBlock(), export.preferredBlock(), export.maxPayload()));
                default -> { } // the protocol says to ignore information requests we do not know
            }
        }
    }

    private Session session(String requestedName, OpenedExport export) {
        int metaId = metaContextExport != null && metaContextExport.equals(requestedName) ? BASE_ALLOCATION_ID : 0;
        LOG.debug("conn {}: serving export '{}' size {} flags 0x{}", connectionId, export.name(), export.size(),
                Integer.toHexString(export.transmissionFlags()));
        return new Session(transport, export.backend(), export.name(), export.size(), export.transmissionFlags(),
                structuredReplies, extendedHeaders, metaId, export.enforced() ? export.minimumBlock() : 1,
                export.enforced() ? Math.min(export.maxPayload(), settings.maxPayload()) : settings.maxPayload());
    }

    private void list(ByteBuffer data) throws IOException {
        if (data.hasRemaining()) {
            error(Option.LIST, OptionReply.ERR_INVALID, "NBD_OPT_LIST takes no data");
            return;
        }
        List<Export> exports;
        try {
            exports = catalog.list(settings.readOnly(), transport.isTls());
        } catch (IOException e) {
            LOG.warn("conn {}: listing exports failed: {}", connectionId, e.getMessage());
            error(Option.LIST, OptionReply.ERR_PLATFORM, "listing exports failed: " + e.getMessage());
            return;
        }
        for (Export export : exports) {
            reply(Option.LIST, OptionReply.SERVER, ServerOptionCodec.serverPayload(export.name(), export.description()));
        }
        ack(Option.LIST);
    }

    private void structuredReply(ByteBuffer data) throws IOException {
        if (data.hasRemaining()) {
            error(Option.STRUCTURED_REPLY, OptionReply.ERR_INVALID, "NBD_OPT_STRUCTURED_REPLY takes no data");
        } else if (!settings.structuredReplies()) {
            error(Option.STRUCTURED_REPLY, OptionReply.ERR_UNSUP, "structured replies are disabled on this server");
        } else {
            structuredReplies = true;
            ack(Option.STRUCTURED_REPLY);
        }
    }

    private void extendedHeaders(ByteBuffer data) throws IOException {
        if (data.hasRemaining()) {
            error(Option.EXTENDED_HEADERS, OptionReply.ERR_INVALID, "NBD_OPT_EXTENDED_HEADERS takes no data");
        } else if (!settings.structuredReplies()) {
            error(Option.EXTENDED_HEADERS, OptionReply.ERR_UNSUP, "structured replies, which extended headers need, are disabled on this server");
        } else {
            extendedHeaders = true;
            structuredReplies = true;
            ack(Option.EXTENDED_HEADERS);
        }
    }

    private void metaContext(int option, ByteBuffer data) throws IOException {
        boolean set = option == Option.SET_META_CONTEXT;
        if (set) {
            // a SET replaces the previous selection even when it fails
            metaContextExport = null;
        }
        if (!settings.metaContexts()) {
            error(option, OptionReply.ERR_UNSUP, "metadata contexts are disabled on this server");
            return;
        }
        if (!structuredReplies) {
            error(option, OptionReply.ERR_INVALID, "metadata contexts need structured replies to be negotiated first");
            return;
        }
        MetaContextRequest request;
        try {
            request = ServerOptionCodec.decodeMetaContextRequest(data);
        } catch (ProtocolException e) {
            error(option, OptionReply.ERR_INVALID, e.getMessage());
            return;
        }
        Set<String> matches = new LinkedHashSet<>();
        if (!set && request.queries().isEmpty()) {
            matches.add(MetaContexts.BASE_ALLOCATION);
        }
        for (String query : request.queries()) {
            if (query.equals(MetaContexts.BASE_ALLOCATION) || (!set && query.equals("base:"))) {
                matches.add(MetaContexts.BASE_ALLOCATION);
            }
        }
        for (String name : matches) {
            reply(option, OptionReply.META_CONTEXT, ServerOptionCodec.metaContextPayload(set ? BASE_ALLOCATION_ID : 0, name));
        }
        ack(option);
        if (set && !matches.isEmpty()) {
            metaContextExport = request.exportName();
        }
    }

    private void startTls(ByteBuffer data) throws IOException {
        if (!tls.enabled()) {
            error(Option.STARTTLS, OptionReply.ERR_POLICY, "TLS is not enabled on this server");
        } else if (transport.isTls()) {
            error(Option.STARTTLS, OptionReply.ERR_INVALID, "TLS is already active");
        } else if (data.hasRemaining()) {
            error(Option.STARTTLS, OptionReply.ERR_INVALID, "NBD_OPT_STARTTLS takes no data");
        } else {
            ack(Option.STARTTLS);
            try {
                transport = transport.startTls(tls.newEngine());
            } catch (SSLException e) {
                throw new ProtocolException("TLS handshake failed: " + e.getMessage());
            }
            // What was agreed in plaintext could have been injected by an attacker (CVE-2021-3716):
            // the client negotiates again inside TLS.
            structuredReplies = false;
            extendedHeaders = false;
            metaContextExport = null;
            LOG.debug("conn {}: TLS established", connectionId);
        }
    }

    /** The transport in use now: the encrypting one once STARTTLS succeeded. */
    public Transport transport() {
        return transport;
    }

    private void ack(int option) throws IOException {
        reply(option, OptionReply.ACK, new byte[0]);
    }

    private void reply(int option, int type, byte[] payload) throws IOException {
        transport.writeFully(ServerOptionCodec.reply(option, type, payload));
    }

    private void error(int option, int type, String message) throws IOException {
        LOG.debug("conn {}: option {} refused: {}", connectionId, Option.name(option), message);
        reply(option, type, message.getBytes(StandardCharsets.UTF_8));
    }
}
