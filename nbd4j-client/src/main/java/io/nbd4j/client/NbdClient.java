package io.nbd4j.client;

import io.nbd4j.protocol.ClientRequestEncoder;
import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.OptionReply;
import io.nbd4j.protocol.TransmissionFlags;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An NBD connection in the transmission phase. Obtain one with {@link #connect} (which negotiates as
 * {@link Options} say) or from {@link NbdNegotiation#go}/{@link NbdNegotiation#exportName}.
 *
 * <p>Threading: thread-safe. Any number of threads may issue requests at once; they are pipelined on
 * the one connection and a single reader thread (a platform thread) matches replies to requests by cookie. Each
 * {@code *Async} method returns once its request is on the wire (it may block while the socket's send
 * buffer is full) and its future completes on the reader thread: non-async dependants of the future run
 * there and must not block. The blocking methods wait for the future and rethrow its failure.
 *
 * <p>Failures: a server error reply fails that request with an {@link NbdClientException} carrying the NBD
 * error value; a lost connection or protocol violation fails every outstanding and later request.
 *
 * <p>Requests are sent as given: this client checks neither the export's flags (sending FUA to a server
 * without {@code SEND_FUA} is the caller's choice) nor block-size alignment, which suits protocol tests
 * and proxies. Offsets and lengths are unsigned on the wire.
 */
public final class NbdClient implements AutoCloseable {
    private final ByteStream stream;
    private final ExportInfo export;
    private final boolean structuredReplies;
    private final boolean extendedHeaders;
    private final boolean tls;
    private final List<MetaContext> metaContexts;
    private final Options options;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final RequestWriter writer;
    private final Thread readerThread;
    private final AtomicBoolean disconnecting = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    NbdClient(ByteStream stream, ExportInfo export, boolean structuredReplies, boolean extendedHeaders, boolean tls,
              List<MetaContext> metaContexts, Options options) {
        this.stream = stream;
        this.export = export;
        this.structuredReplies = structuredReplies;
        this.extendedHeaders = extendedHeaders;
        this.tls = tls;
        this.metaContexts = List.copyOf(metaContexts);
        this.options = options;
        this.writer = new RequestWriter(stream, extendedHeaders);
        Map<Integer, String> contextNames = new HashMap<>();
        for (MetaContext context : metaContexts) {
            contextNames.put(context.id(), context.name());
        }
        ReplyReader reader = new ReplyReader(new ReadAheadStream(stream), inFlight, Map.copyOf(contextNames),
                new ReaderEvents());
        // A platform thread blocks in read() itself; a virtual one would go through the JDK's poller for
        // every reply, which cost the nbd plugin a fifth of its random-read rate here.
        this.readerThread = Thread.ofPlatform().daemon().name("nbd-client-reader " + export.name()).start(reader);
    }

    /** The reader's view of this client; its methods run on the reader thread and do not block. */
    private final class ReaderEvents implements ReplyReader.Events {
        @Override
        public boolean disconnecting() {
            return disconnecting.get();
        }

        @Override
        public void serverShuttingDown() {
            // disconnect() waits for requests in flight, so it must not run on the reader thread.
            Thread.ofVirtual().name("nbd-client-shutdown " + export.name()).start(() -> {
                try {
                    disconnect();
                } catch (IOException ignored) {
                    // The connection is ending either way; requests already carry the server's error.
                }
            });
        }

        @Override
        public void ended(NbdClientException failure) {
            if (failure == null) {
                closed.complete(null);
            } else {
                closed.completeExceptionally(failure);
            }
        }
    }

    /** Connects to the export named by {@code uri} ({@link NbdUri} forms) with {@link Options#defaults()}. */
    public static NbdClient connect(String uri) throws IOException {
        return connect(uri, Options.defaults());
    }

    /**
     * Connects to the export named by {@code uri} ({@link NbdUri} forms), negotiating as {@code options} say;
     * the URI's export name replaces the one in {@code options}. An {@code nbds} URI requires TLS: with the
     * options' certificates if they enable TLS, else trusting the JDK's default authorities.
     */
    public static NbdClient connect(String uri, Options options) throws IOException {
        NbdUri parsed = NbdUri.parse(uri);
        Options.Builder builder = options.toBuilder().exportName(parsed.exportName());
        if (parsed.tls()) {
            TlsOptions tls = options.tls();
            builder.tls(tls.enabled() ? new TlsOptions(TlsOptions.Mode.REQUIRE, tls.context(), tls.verifyPeer())
                    : TlsOptions.fromCertificates(TlsOptions.Mode.REQUIRE, null, true));
        }
        return connect(parsed.address(), builder.build());
    }

    /**
     * Connects to {@code address} and negotiates: extended headers if asked for, else (or if refused)
     * structured replies if asked for; then the meta contexts if structured replies are on; then
     * {@code NBD_OPT_GO}, falling back to {@code NBD_OPT_EXPORT_NAME} if the server does not know GO. A
     * server without fixed newstyle gets {@code NBD_OPT_EXPORT_NAME} alone, as the protocol requires.
     * Refused optional features are simply left off; check the negotiated state on the result. When the
     * options enable TLS, {@code NBD_OPT_STARTTLS} comes first (see {@link NbdNegotiation#open}).
     */
    public static NbdClient connect(NbdAddress address, Options options) throws IOException {
        NbdNegotiation negotiation = NbdNegotiation.open(address, options);
        try {
            if ((negotiation.handshakeFlags() & HandshakeFlags.FIXED_NEWSTYLE) == 0) {
                // Plain newstyle allows no option but EXPORT_NAME.
                return negotiation.exportName(options.exportName());
            }
            boolean extended = options.extendedHeaders() && negotiation.extendedHeaders();
            boolean structured = extended || (options.structuredReplies() && negotiation.structuredReplies());
            if (structured && !options.metaContexts().isEmpty()) {
                selectMetaContexts(negotiation, options);
            }
            try {
                return negotiation.go(options.exportName(), options.infoRequests());
            } catch (NbdOptionException e) {
                if (e.replyType() != OptionReply.ERR_UNSUP) {
                    throw e;
                }
                return negotiation.exportName(options.exportName());
            }
        } catch (IOException | RuntimeException e) {
            negotiation.close();
            throw e;
        }
    }

    /** A server that cannot select meta contexts still serves data; only a shutdown ends the attempt. */
    private static void selectMetaContexts(NbdNegotiation negotiation, Options options) throws IOException {
        try {
            negotiation.setMetaContexts(options.exportName(), options.metaContexts());
        } catch (NbdOptionException e) {
            if (e.replyType() == OptionReply.ERR_SHUTDOWN) {
                throw e;
            }
        }
    }

    // ---- what was negotiated

    public ExportInfo exportInfo() {
        return export;
    }

    public long size() {
        return export.size();
    }

    /** The export's 16-bit transmission flags ({@link TransmissionFlags}). */
    public int transmissionFlags() {
        return export.transmissionFlags();
    }

    public boolean isReadOnly() {
        return export.hasFlag(TransmissionFlags.READ_ONLY);
    }

    public boolean canFlush() {
        return export.hasFlag(TransmissionFlags.SEND_FLUSH);
    }

    public boolean canFua() {
        return export.hasFlag(TransmissionFlags.SEND_FUA);
    }

    public boolean canTrim() {
        return export.hasFlag(TransmissionFlags.SEND_TRIM);
    }

    public boolean canZero() {
        return export.hasFlag(TransmissionFlags.SEND_WRITE_ZEROES);
    }

    public boolean canFastZero() {
        return export.hasFlag(TransmissionFlags.SEND_FAST_ZERO);
    }

    public boolean canCache() {
        return export.hasFlag(TransmissionFlags.SEND_CACHE);
    }

    public boolean canDf() {
        return export.hasFlag(TransmissionFlags.SEND_DF);
    }

    public boolean canMultiConn() {
        return export.hasFlag(TransmissionFlags.CAN_MULTI_CONN);
    }

    public boolean isRotational() {
        return export.hasFlag(TransmissionFlags.ROTATIONAL);
    }

    public boolean structuredRepliesNegotiated() {
        return structuredReplies;
    }

    public boolean extendedHeadersNegotiated() {
        return extendedHeaders;
    }

    /** Whether the connection is encrypted (STARTTLS succeeded). */
    public boolean tlsNegotiated() {
        return tls;
    }

    /** The metadata contexts selected for this export; empty means block status is unavailable. */
    public List<MetaContext> metaContexts() {
        return metaContexts;
    }

    // ---- asynchronous commands

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} from its position to its
     * limit. {@code dst}'s position and limit are never changed. Buffer ownership: the reader thread writes
     * into {@code dst} until the future completes; the caller must not touch those bytes before then. After
     * a failure their content is unspecified.
     *
     * @param flags {@code CommandFlags} for NBD_CMD_READ (e.g. {@code DF}); usually 0
     */
    public CompletableFuture<Void> preadAsync(ByteBuffer dst, long offset, int flags) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only buffer");
        }
        ByteBuffer target = dst.duplicate();
        return submit(PendingRequest.read(inFlight.nextCookie(), offset, target), flags, null);
    }

    /**
     * Writes {@code src.remaining()} bytes from {@code src} at {@code offset}. Buffer ownership: the bytes
     * are copied to the socket before this method returns, so the caller may reuse {@code src} at once;
     * {@code src}'s position and limit are never changed.
     *
     * @param flags {@code CommandFlags.FUA} or 0
     */
    public CompletableFuture<Void> pwriteAsync(ByteBuffer src, long offset, int flags) {
        PendingRequest request = PendingRequest.of(inFlight.nextCookie(), Command.WRITE, offset, src.remaining());
        return submit(request, flags, src.duplicate());
    }

    public CompletableFuture<Void> flushAsync() {
        return submit(PendingRequest.of(inFlight.nextCookie(), Command.FLUSH, 0, 0), 0, null);
    }

    /** @param flags {@code CommandFlags.FUA} or 0 */
    public CompletableFuture<Void> trimAsync(long length, long offset, int flags) {
        return command(Command.TRIM, length, offset, flags);
    }

    /** NBD_CMD_WRITE_ZEROES. @param flags any of {@code CommandFlags.NO_HOLE}, {@code FAST_ZERO}, {@code FUA} */
    public CompletableFuture<Void> zeroAsync(long length, long offset, int flags) {
        return command(Command.WRITE_ZEROES, length, offset, flags);
    }

    public CompletableFuture<Void> cacheAsync(long length, long offset) {
        return command(Command.CACHE, length, offset, 0);
    }

    /**
     * The {@code base:allocation} extents of the range, consecutive from {@code offset} (the server may
     * describe less or somewhat more than asked).
     *
     * @param flags {@code CommandFlags.REQ_ONE} or 0
     * @throws IllegalStateException if {@code base:allocation} was not negotiated
     */
    public CompletableFuture<List<Extent>> blockStatusAsync(long length, long offset, int flags) {
        if (metaContexts.stream().noneMatch(c -> c.name().equals(MetaContexts.BASE_ALLOCATION))) {
            throw new IllegalStateException("base:allocation was not negotiated (selected: " + metaContexts + ")");
        }
        return blockStatusAllAsync(length, offset, flags).thenApply(byContext -> {
            List<Extent> extents = byContext.get(MetaContexts.BASE_ALLOCATION);
            if (extents == null) {
                throw new CompletionException(new NbdClientException("server's block status reply had no "
                        + MetaContexts.BASE_ALLOCATION + " chunk"));
            }
            return extents;
        });
    }

    /** The extents of every negotiated metadata context, by context name. */
    public CompletableFuture<Map<String, List<Extent>>> blockStatusAllAsync(long length, long offset, int flags) {
        PendingRequest request = PendingRequest.of(inFlight.nextCookie(), Command.BLOCK_STATUS, offset, length);
        return submitForExtents(request, flags);
    }

    // ---- blocking commands

    /**
     * Blocking {@link #preadAsync} with no flags; {@code dst} is filled from its position to its limit,
     * which stay put.
     */
    public void pread(ByteBuffer dst, long offset) throws IOException {
        await(preadAsync(dst, offset, 0));
    }

    /** Blocking {@link #preadAsync}; {@code dst} is filled from its position to its limit, which stay put. */
    public void pread(ByteBuffer dst, long offset, int flags) throws IOException {
        await(preadAsync(dst, offset, flags));
    }

    /** Reads {@code length} bytes at {@code offset} into a new array the caller owns. */
    public byte[] pread(long offset, int length) throws IOException {
        byte[] data = new byte[length];
        pread(ByteBuffer.wrap(data), offset);
        return data;
    }

    /** Blocking {@link #pwriteAsync}; {@code src} is not retained. */
    public void pwrite(ByteBuffer src, long offset, int flags) throws IOException {
        await(pwriteAsync(src, offset, flags));
    }

    /** Writes all of {@code data} (not retained) at {@code offset}. */
    public void pwrite(byte[] data, long offset) throws IOException {
        pwrite(ByteBuffer.wrap(data), offset, 0);
    }

    public void flush() throws IOException {
        await(flushAsync());
    }

    public void trim(long length, long offset, int flags) throws IOException {
        await(trimAsync(length, offset, flags));
    }

    public void zero(long length, long offset, int flags) throws IOException {
        await(zeroAsync(length, offset, flags));
    }

    public void cache(long length, long offset) throws IOException {
        await(cacheAsync(length, offset));
    }

    public List<Extent> blockStatus(long length, long offset, int flags) throws IOException {
        return await(blockStatusAsync(length, offset, flags));
    }

    public Map<String, List<Extent>> blockStatusAll(long length, long offset, int flags) throws IOException {
        return await(blockStatusAllAsync(length, offset, flags));
    }

    // ---- ending

    /**
     * Completes when the connection has ended: normally after {@link #disconnect()} (including the one the
     * client makes by itself when the server replies {@code NBD_ESHUTDOWN}), exceptionally with an
     * {@link NbdClientException} saying why if the connection failed. The returned future is a copy;
     * completing it has no effect on the client.
     */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    /**
     * The soft disconnect: waits (up to {@link Options#disconnectTimeout()}) for requests in flight, sends
     * {@code NBD_CMD_DISC} and closes. Requests issued afterwards fail. Calling it again does nothing.
     */
    public void disconnect() throws IOException {
        if (!disconnecting.compareAndSet(false, true)) {
            return;
        }
        try {
            if (inFlight.failure() == null) {
                inFlight.awaitCompletion(options.disconnectTimeout());
                inFlight.failAll(new NbdClientException("client disconnected"));
                if (writer.trySendDisconnect(inFlight.nextCookie(), options.disconnectTimeout())) {
                    stream.shutdownOutput();
                    // The server closes after DISC; the reader sees that end and stops by itself.
                    readerThread.join(options.disconnectTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while disconnecting");
        } catch (IOException ignored) {
            // The connection broke while saying goodbye; closing it below is all that is left to do.
        } finally {
            stream.close();
        }
    }

    /**
     * Disconnects softly if the connection is healthy, else just closes. Each wait (requests in flight, the
     * write lock, the server's close) is bounded by {@link Options#disconnectTimeout()}, so a hung or
     * vanished server delays it by at most a few timeouts.
     */
    @Override
    public void close() throws IOException {
        disconnect();
        try {
            // If another thread (e.g. the ESHUTDOWN reaction) is mid-disconnect, let it finish first.
            readerThread.join(options.disconnectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stream.close();
        }
    }

    // ---- internals

    private CompletableFuture<Void> command(int type, long length, long offset, int flags) {
        return submit(PendingRequest.of(inFlight.nextCookie(), type, offset, length), flags, null);
    }

    private CompletableFuture<Void> submit(PendingRequest request, int flags, ByteBuffer payload) {
        return submitForExtents(request, flags, payload).thenApply(ignored -> null);
    }

    private CompletableFuture<Map<String, List<Extent>>> submitForExtents(PendingRequest request, int flags) {
        return submitForExtents(request, flags, null);
    }

    private CompletableFuture<Map<String, List<Extent>>> submitForExtents(PendingRequest request, int flags,
                                                                          ByteBuffer payload) {
        if (!ClientRequestEncoder.fitsLength(extendedHeaders, request.length)) {
            throw new IllegalArgumentException("length " + request.length + " of " + request.describe()
                    + " needs extended headers, which were not negotiated");
        }
        try {
            inFlight.register(request);
        } catch (NbdClientException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            writer.send(flags, request.type, request.cookie, request.offset, request.length, payload);
        } catch (IOException e) {
            // A half-written request leaves the stream unusable, so the whole connection fails, and has
            // ended as of now: a caller deciding whether to reconnect must not wait for the reader to notice.
            NbdClientException failure = new NbdClientException("connection lost while sending " + request.describe()
                    + ": " + e, e);
            inFlight.failAll(failure);
            closeQuietly();
            closed.completeExceptionally(failure);
        }
        return request.done();
    }

    private void closeQuietly() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Already failing every request; a close error adds nothing.
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a reply");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NbdClientException nbd) {
                throw nbd.rethrownHere();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new NbdClientException(String.valueOf(cause), cause);
        }
    }

    /**
     * What {@link #connect} negotiates and how the connection ends. Immutable; defaults: export name "",
     * structured replies on, meta context {@code base:allocation}, extended headers off, info requests
     * NAME, DESCRIPTION and BLOCK_SIZE, disconnect timeout 10 s, TLS off.
     */
    public static final class Options {
        private static final Options DEFAULTS = new Builder().build();

        private final String exportName;
        private final boolean structuredReplies;
        private final boolean extendedHeaders;
        private final List<String> metaContexts;
        private final List<Integer> infoRequests;
        private final Duration disconnectTimeout;
        private final TlsOptions tls;

        private Options(Builder builder) {
            this.exportName = builder.exportName;
            this.structuredReplies = builder.structuredReplies;
            this.extendedHeaders = builder.extendedHeaders;
            this.metaContexts = builder.metaContexts;
            this.infoRequests = builder.infoRequests;
            this.disconnectTimeout = builder.disconnectTimeout;
            this.tls = builder.tls;
        }

        public static Options defaults() {
            return DEFAULTS;
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder()
                    .exportName(exportName)
                    .structuredReplies(structuredReplies)
                    .extendedHeaders(extendedHeaders)
                    .metaContexts(metaContexts)
                    .infoRequests(infoRequests)
                    .disconnectTimeout(disconnectTimeout)
                    .tls(tls);
        }

        public String exportName() {
            return exportName;
        }

        public boolean structuredReplies() {
            return structuredReplies;
        }

        public boolean extendedHeaders() {
            return extendedHeaders;
        }

        public List<String> metaContexts() {
            return metaContexts;
        }

        public List<Integer> infoRequests() {
            return infoRequests;
        }

        public Duration disconnectTimeout() {
            return disconnectTimeout;
        }

        public TlsOptions tls() {
            return tls;
        }

        /** Builds {@link Options}; not thread-safe. */
        public static final class Builder {
            private String exportName = "";
            private boolean structuredReplies = true;
            private boolean extendedHeaders;
            private List<String> metaContexts = List.of(MetaContexts.BASE_ALLOCATION);
            private List<Integer> infoRequests = List.of(Info.NAME, Info.DESCRIPTION, Info.BLOCK_SIZE);
            private Duration disconnectTimeout = Duration.ofSeconds(10);
            private TlsOptions tls = TlsOptions.off();

            private Builder() {}

            public Builder exportName(String exportName) {
                this.exportName = Objects.requireNonNull(exportName, "exportName");
                return this;
            }

            /** Ask for structured replies (needed for block status and sparse reads). */
            public Builder structuredReplies(boolean structuredReplies) {
                this.structuredReplies = structuredReplies;
                return this;
            }

            /** Ask for extended headers (64-bit lengths); implies structured replies if granted. */
            public Builder extendedHeaders(boolean extendedHeaders) {
                this.extendedHeaders = extendedHeaders;
                return this;
            }

            /** Meta context queries to select; empty selects none (no block status). */
            public Builder metaContexts(List<String> metaContexts) {
                this.metaContexts = List.copyOf(metaContexts);
                return this;
            }

            /**
             * {@code NBD_INFO_*} types requested with GO. Asking for BLOCK_SIZE promises the server to obey
             * the sizes it returns; this client leaves that to its caller.
             */
            public Builder infoRequests(List<Integer> infoRequests) {
                this.infoRequests = List.copyOf(infoRequests);
                return this;
            }

            /** How long disconnect waits for requests in flight, for the write lock, and for the server. */
            public Builder disconnectTimeout(Duration disconnectTimeout) {
                if (disconnectTimeout.isNegative()) {
                    throw new IllegalArgumentException("disconnectTimeout must not be negative, got "
                            + disconnectTimeout);
                }
                this.disconnectTimeout = disconnectTimeout;
                return this;
            }

            /** Whether to ask for TLS, and with which certificates; {@link TlsOptions#off()} by default. */
            public Builder tls(TlsOptions tls) {
                this.tls = Objects.requireNonNull(tls, "tls");
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }
}
