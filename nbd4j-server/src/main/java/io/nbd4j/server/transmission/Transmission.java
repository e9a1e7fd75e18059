package io.nbd4j.server.transmission;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.ServerRequestDecoder;
import io.nbd4j.protocol.ServerRequestHeader;
import io.nbd4j.server.ServerSettings;
import io.nbd4j.server.handshake.Session;
import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;

/**
 * The transmission phase of one connection: the reader loop. It decodes each request header, reads
 * a write's payload, validates the request, and hands it to a virtual thread (or, with one thread
 * per connection, runs it in place, so requests run strictly in order). At most
 * {@code threads} requests run at once. A request that arrives while none of the connection's
 * requests runs, when recent requests were fast ({@link ServiceTime}), also runs in place: a client
 * waiting for each reply before its next request (queue depth 1) then costs no thread hand-off,
 * and a request arriving meanwhile waits at most about one fast request's time. A read or write the
 * plugin can complete on a thread of its own ({@link RequestRunner#start}) is only begun here: its
 * reply goes out from the plugin's thread, and no request thread waits for it. It ends on
 * {@code NBD_CMD_DISC}, end of stream, or a framing error, and always waits for the requests still
 * running (or begun) before it returns.
 *
 * <p>The replies of the reads and writes it runs in place while the next request is already buffered
 * are held back ({@link ReplyWriter}) and sent together before the reader could wait: before it
 * reads more from the client, before it runs any other command in place (a flush may take long), as
 * soon as the requests stop being fast, and when the connection ends.
 *
 * <p><b>Threads.</b> {@link #run} is called once, on the connection's thread, which is the only reader
 * and the only thread that touches the reader's fields.
 */
public final class Transmission {
    private static final Logger LOG = LoggerFactory.getLogger(Transmission.class);
    /** Longest payload of a refused request that is read and dropped; longer ones end the connection. */
    static final long MAX_DISCARDED_PAYLOAD = 64L << 20;
    /** The data that requests completing on the plugin's thread may hold at once, per connection. */
    static final int STARTED_BYTES = 64 << 20;
    private static final Rejection SHUTTING_DOWN = new Rejection(NbdError.ESHUTDOWN.wireValue(), "the connection is shutting down");

    private final long connectionId;
    private final Session session;
    private final Transport transport;
    private final ServerSettings settings;
    private final BufferPool pool;
    private final RequestValidator validator;
    private final ReplyWriter replies;
    private final ObservedRequests runner;
    private final Semaphore slots;
    /**
     * Bytes of data held by requests the plugin completes on its own thread ({@link RequestRunner#start}).
     * They hold no thread, so a client's whole queue (nbdcopy keeps 64 requests in flight, qemu 16) may
     * be under way at once, the reader waiting for the client's next request rather than for a reply;
     * this bounds the buffers they hold instead.
     */
    private final Semaphore started = new Semaphore(STARTED_BYTES);
    private final ServiceTime serviceTime = new ServiceTime();
    private final ClientConnection connection;
    private final Runnable endOfRequests;
    private final int headerSize;
    /** The reader's own state (only {@link #run}'s thread touches it). */
    private ByteBuffer header;
    /** Where refused payloads are read to and dropped; made on the first one. */
    private ByteBuffer scratch;
    private boolean requestsStarted;

    /**
     * {@code connection} tells when to stop running requests: once it is ending, each gets
     * {@code ESHUTDOWN}. {@code endOfRequests} runs when the reader stops (the client sent DISC, went
     * away or broke the protocol), before the requests still running are waited for, so that a layer
     * sleeping in one of them wakes up.
     */
    public Transmission(long connectionId, Session session, ServerSettings settings, BufferPool pool,
                        ClientConnection connection, Runnable endOfRequests) {
        this.connectionId = connectionId;
        this.connection = connection;
        this.endOfRequests = endOfRequests;
        this.session = session;
        this.transport = session.transport();
        this.settings = settings;
        this.pool = pool;
        this.validator = new RequestValidator(session);
        this.replies = new ReplyWriter(transport, session.structuredReplies(), session.extendedHeaders());
        this.runner = new ObservedRequests(new RequestRunner(connectionId, session, replies, pool),
                settings.metrics().forExport(session.exportName()), connectionId, session.exportName());
        this.slots = new Semaphore(settings.threads());
        this.headerSize = ServerRequestDecoder.headerSize(session.extendedHeaders());
    }

    /** Serves requests until the client disconnects; returns after every started request has replied. */
    public void run() {
        header = ByteBuffer.allocateDirect(headerSize);
        replies.holdRepliesOf(Thread.currentThread());
        try {
            // One call per request, and nothing else in the loop: a method is compiled after a few
            // hundred calls, while a loop body written out here ran in the interpreter until on-stack
            // replacement, some 60,000 requests into a fresh server's first connection
            // (bench/results/20261206-cold-rows.md).
            boolean more = true;
            while (more) {
                more = serveNextRequest();
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            LOG.debug("conn {}: connection closed", connectionId);
        } catch (IOException e) {
            LOG.info("conn {}: connection failed: {}", connectionId, e.toString());
        } finally {
            flushHeldQuietly();
            endOfRequests.run();
            slots.acquireUninterruptibly(settings.threads());
            slots.release(settings.threads());
            started.acquireUninterruptibly(STARTED_BYTES);
            started.release(STARTED_BYTES);
        }
    }

    private void flushHeldQuietly() {
        try {
            replies.flushHeld();
        } catch (IOException e) {
            LOG.debug("conn {}: sending the last replies failed: {}", connectionId, e.toString());
        }
    }

    /**
     * Sends the replies held back unless {@code bytes} more can be read without waiting for the client
     * and the connection's requests are fast, so that they wait for no more than a fast request.
     */
    private void flushUnlessBuffered(long bytes) throws IOException {
        if (transport.bufferedInput() < bytes || !serviceTime.isFast()) {
            replies.flushHeld();
        }
    }

    /** Reads, checks and hands on one request; false when the connection's requests end. */
    private boolean serveNextRequest() throws IOException {
        header.clear();
        flushUnlessBuffered(headerSize);
        try {
            transport.readFully(header);
        } catch (EOFException e) {
            if (header.position() == 0) {
                LOG.debug("conn {}: client closed the connection", connectionId);
            } else {
                LOG.info("conn {}: truncated request header ({} of {} bytes); closing", connectionId,
                        header.position(), headerSize);
            }
            return false;
        }
        if (!requestsStarted) {
            // not before: a client idle after the handshake keeps the transport's small buffer
            transport.startRequests();
            requestsStarted = true;
        }
        ServerRequestHeader r;
        try {
            r = ServerRequestDecoder.decode(header.flip(), session.extendedHeaders());
        } catch (ProtocolException e) {
            LOG.warn("conn {}: {}; closing", connectionId, e.getMessage());
            return false;
        }
        if (r.type() == Command.DISC) {
            LOG.debug("conn {}: client sent DISC", connectionId);
            return false;
        }
        // a request read after a disconnect or a shutdown was asked for is not run
        Rejection rejection = connection.isEnding() ? SHUTTING_DOWN : validator.check(r);
        long payloadLength = validator.payloadLength(r);
        ByteBuffer payload = null;
        if (payloadLength > 0) {
            flushUnlessBuffered(payloadLength);
            if (rejection == null) {
                payload = pool.acquire((int) payloadLength);
                transport.readFully(payload);
                payload.flip();
            } else if (payloadLength <= Math.max(MAX_DISCARDED_PAYLOAD, settings.maxPayload())) {
                if (scratch == null) {
                    scratch = ByteBuffer.allocate(64 << 10);
                }
                transport.skip(payloadLength, scratch);
            } else {
                LOG.warn("conn {}: {} declares a payload of {} bytes; closing", connectionId,
                        Command.name(r.type()), Long.toUnsignedString(payloadLength));
                return false;
            }
        }
        if (rejection != null) {
            LOG.info("conn {}: refused {}: {}", connectionId, Command.name(r.type()), rejection.message());
            replies.error(r, rejection.wireError(), rejection.message());
            runner.refused(r, rejection.wireError());
            return true;
        }
        if (settings.verbose() && LOG.isDebugEnabled()) {
            LOG.debug("conn {}: {} flags 0x{} offset {} length {}", connectionId, Command.name(r.type()),
                    Integer.toHexString(r.flags()), r.offset(), r.length());
        }
        dispatch(r, payload);
        return true;
    }

    /** What a started request holds of {@link #STARTED_BYTES}: its data, at least a page, at most all. */
    private static int startedBytes(ServerRequestHeader r) {
        return (int) Math.clamp(r.length(), 4096, STARTED_BYTES);
    }

    private void startedRequestFinished(int bytes, IOException replyFailure) {
        if (replyFailure != null) {
            LOG.info("conn {}: writing a reply failed: {}; closing", connectionId, replyFailure.getMessage());
            transport.shutdownInput();
        }
        started.release(bytes);
    }

    /**
     * Runs a request on the reader. The replies it holds wait for this request only when it is a read
     * or a write, which the service time says are fast; anything else (a flush syncs the disk) first
     * sends them.
     */
    private void runOnReader(ServerRequestHeader r, ByteBuffer payload) throws IOException {
        if (r.type() != Command.READ && r.type() != Command.WRITE) {
            replies.flushHeld();
        }
        long start = System.nanoTime();
        runner.run(r, payload);
        serviceTime.record(System.nanoTime() - start);
    }

    private void dispatch(ServerRequestHeader r, ByteBuffer payload) throws IOException {
        if (settings.threads() == 1) {
            runOnReader(r, payload);
            return;
        }
        // A read or write the plugin completes on its own thread holds its bytes of the budget until
        // its reply is sent.
        if (runner.mayStart(r.type())) {
            int bytes = startedBytes(r);
            started.acquireUninterruptibly(bytes);
            if (runner.start(r, payload, (error, replyFailure) -> startedRequestFinished(bytes, replyFailure))) {
                return;
            }
            started.release(bytes);
        }
        // Only this thread takes permits, so all of them free means no request of this connection runs.
        if (slots.availablePermits() == settings.threads() && serviceTime.isFast()) {
            runOnReader(r, payload);
            return;
        }
        slots.acquireUninterruptibly();
        Thread.ofVirtual().start(() -> {
            long start = System.nanoTime();
            try {
                runner.run(r, payload);
            } catch (IOException e) {
                LOG.info("conn {}: writing a reply failed: {}; closing", connectionId, e.getMessage());
                transport.shutdownInput();
            } finally {
                serviceTime.record(System.nanoTime() - start);
                slots.release();
            }
        });
    }
}
