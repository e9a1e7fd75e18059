package io.nbd4j.server.transmission;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ServerRequestHeader;
import io.nbd4j.server.handshake.Session;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Runs one validated request against the top layer and sends its reply. Read data goes out straight
 * from the layer's memory when it offers a view ({@link Next#readView}), else from a pooled buffer
 * that {@code pread} fills. Layer failures become error replies; only a failure to write the reply
 * (the client is gone) escapes as {@link IOException}.
 *
 * <p>A large read of a plugin served without filters asks for extents first and sends holes as hole
 * chunks without reading them. Under a filter every read goes to {@code pread}: a filter may act on
 * reads (the cache filter keeps what is read, stats counts it), and a read it never saw would not.
 *
 * <p><b>Threads.</b> Called concurrently by the request threads of one connection; {@link #start} and
 * {@link #mayStart} only by its reader, and a started request ends on the plugin's thread. Keeps no
 * per-request state in fields.
 */
final class RequestRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRunner.class);
    /** Reads at least this long ask the top layer for extents first, so holes go out as hole chunks. */
    static final int SPARSE_READ_THRESHOLD = 64 << 10;

    private final long connectionId;
    private final Session session;
    private final Next top;
    private final ReplyWriter replies;
    private final BufferPool pool;
    /**
     * Whether the top layer is the plugin: only then may large reads skip holes (see the class comment),
     * and reads and writes complete on the plugin's own thread ({@link #start}).
     */
    private final boolean pluginOnTop;
    /** Whether reads (writes) may still be begun with {@link #start}; cleared when the plugin declines one. */
    private volatile boolean startsReads;
    private volatile boolean startsWrites;

    RequestRunner(long connectionId, Session session, ReplyWriter replies, BufferPool pool) {
        this.connectionId = connectionId;
        this.session = session;
        this.top = session.backend().top();
        this.replies = replies;
        this.pool = pool;
        this.pluginOnTop = session.backend().contexts().size() == 1;
        this.startsReads = pluginOnTop;
        this.startsWrites = pluginOnTop;
    }

    /**
     * Runs the request; {@code payload} (a write's data, from {@link BufferPool}) is released here.
     * Returns the error sent to the client, 0 after a successful reply.
     */
    int run(ServerRequestHeader r, ByteBuffer payload) throws IOException {
        try {
            return switch (r.type()) {
                case Command.READ -> read(r);
                case Command.BLOCK_STATUS -> blockStatus(r);
                default -> {
                    Throwable failure = perform(r, payload);
                    if (failure == null) {
                        replies.success(r);
                        yield 0;
                    }
                    yield fail(r, failure);
                }
            };
        } finally {
            pool.release(payload);
        }
    }

    /** How a request begun by {@link #start} ended; told once, on the thread that completed it. */
    @FunctionalInterface
    interface Finished {
        /** {@code error}: the error value sent, 0 after a success; {@code replyFailure}: the reply could not be sent. */
        void finished(int error, IOException replyFailure);
    }

    /** A reply to send once a started request has succeeded. */
    @FunctionalInterface
    private interface SuccessReply {
        void send() throws IOException;
    }

    /**
     * Begins a read or a write that the plugin completes on a thread of its own ({@link Next#startPread},
     * {@link Next#startPwrite}): the reply is sent from that thread, then {@code finished} is told, so
     * the request holds no server thread while the plugin waits. Only for the plugin itself (no filter
     * above it); such a read goes as it is, without asking for extents first, so a hole is sent as
     * zeroes but the read costs the plugin one request instead of two. Returns false, having started
     * nothing and leaving {@code payload} the caller's, when the request cannot begin this way.
     */
    boolean start(ServerRequestHeader r, ByteBuffer payload, Finished finished) {
        boolean started = switch (r.type()) {
            case Command.READ -> startsReads && startRead(r, finished);
            case Command.WRITE -> startsWrites && startWrite(r, payload, finished);
            default -> false;
        };
        if (!started) {
            // A plugin that declined once is not asked again on this connection: a read of the memory
            // plugin must not pay for a pooled buffer it does not use.
            switch (r.type()) {
                case Command.READ -> startsReads = false;
                case Command.WRITE -> startsWrites = false;
                default -> { }
            }
        }
        return started;
    }

    /** Whether {@link #start} may begin a request of this type (cheap, so that others skip it). */
    boolean mayStart(int type) {
        return type == Command.READ ? startsReads : type == Command.WRITE && startsWrites;
    }

    private boolean startRead(ServerRequestHeader r, Finished finished) {
        int length = (int) r.length();
        ByteBuffer buffer = pool.acquire(length);
        boolean started;
        try {
            started = top.startPread(buffer, r.offset(), 0, failure -> {
                complete(r, failure, () -> replies.readData(r, buffer.clear().limit(length)), finished);
                pool.release(buffer);
            });
        } catch (IOException | RuntimeException e) {
            // the handle failed before starting anything: the completion will never give the buffer back
            pool.release(buffer);
            complete(r, e, null, finished);
            return true;
        }
        if (!started) {
            pool.release(buffer);
        }
        return started;
    }

    private boolean startWrite(ServerRequestHeader r, ByteBuffer payload, Finished finished) {
        int fua = r.hasFlag(CommandFlags.FUA) ? Flags.FUA : 0;
        try {
            return top.startPwrite(payload, r.offset(), fua, failure -> {
                pool.release(payload);
                complete(r, failure, () -> replies.success(r), finished);
            });
        } catch (IOException | RuntimeException e) {
            pool.release(payload);
            complete(r, e, null, finished);
            return true;
        }
    }

    /** Sends the reply of a started request (the success reply, or the error for {@code failure}) and says so. */
    private void complete(ServerRequestHeader r, Throwable failure, SuccessReply success, Finished finished) {
        int error = 0;
        IOException replyFailure = null;
        try {
            if (failure == null) {
                success.send();
            } else {
                error = fail(r, failure);
            }
        } catch (IOException e) {
            replyFailure = e;
        } catch (RuntimeException e) {
            // The plugin's thread must not die of it, and the request must still count as over.
            replyFailure = new IOException("sending the reply failed: " + e, e);
        }
        finished.finished(error, replyFailure);
    }

    private Throwable perform(ServerRequestHeader r, ByteBuffer payload) {
        int fua = r.hasFlag(CommandFlags.FUA) ? Flags.FUA : 0;
        try {
            switch (r.type()) {
                case Command.WRITE -> top.pwrite(payload, r.offset(), fua);
                case Command.FLUSH -> top.flush(0);
                case Command.TRIM -> top.trim(r.length(), r.offset(), fua);
                case Command.CACHE -> top.cache(r.length(), r.offset(), 0);
                case Command.WRITE_ZEROES -> {
                    int flags = fua;
                    if (!r.hasFlag(CommandFlags.NO_HOLE)) {
                        flags |= Flags.MAY_TRIM;
                    }
                    if (r.hasFlag(CommandFlags.FAST_ZERO)) {
                        flags |= Flags.FAST_ZERO;
                    }
                    top.zero(r.length(), r.offset(), flags);
                }
                default -> throw new IllegalStateException("not a command for perform: " + r.type());
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private int read(ServerRequestHeader r) throws IOException {
        int length = (int) r.length();
        boolean sparse = pluginOnTop && session.structuredReplies() && !r.hasFlag(CommandFlags.DF)
                && length >= SPARSE_READ_THRESHOLD && canExtents();
        if (!sparse) {
            ByteBuffer view;
            try {
                view = top.readView(r.offset(), length);
            } catch (IOException | RuntimeException e) {
                return fail(r, e);
            }
            if (view != null) {
                replies.readData(r, view);
                return 0;
            }
        }
        ByteBuffer buffer = pool.acquire(length);
        try {
            if (sparse) {
                return sparseRead(r, buffer);
            }
            try {
                top.pread(buffer, r.offset(), 0);
            } catch (IOException | RuntimeException e) {
                return fail(r, e);
            }
            replies.readData(r, buffer.clear().limit(length));
            return 0;
        } finally {
            pool.release(buffer);
        }
    }

    private boolean canExtents() {
        try {
            return top.canExtents();
        } catch (IOException e) {
            return false;  // primed during the handshake, so this cannot happen; a plain read is always right
        }
    }

    /** One extents call, then a hole chunk for each range that reads as zeroes and a data chunk for the rest. */
    private int sparseRead(ServerRequestHeader r, ByteBuffer buffer) throws IOException {
        long start = r.offset();
        long end = start + r.length();
        ExtentList extents = new ExtentList(start, end, ExtentList.MAX_DESCRIPTORS);
        try {
            top.extents(r.length(), start, 0, extents);
        } catch (IOException | RuntimeException e) {
            LOG.debug("conn {}: extents for a sparse read failed, reading everything: {}", connectionId, e.toString());
            extents = new ExtentList(start, end, 1);
            extents.add(start, r.length(), Extents.DATA);
        }
        long at = start;
        int count = extents.count();
        for (int i = 0; i <= count && at < end; i++) {
            // past the reported extents the rest of the range is treated as data
            long length = i < count ? extents.length(i) : end - at;
            boolean zero = i < count && (extents.type(i) & Extents.ZERO) != 0;
            boolean last = at + length == end;
            if (zero) {
                replies.holeChunk(r, at, (int) length, last);
            } else {
                ByteBuffer data;
                try {
                    data = top.readView(at, (int) length);
                    if (data == null) {
                        data = buffer.slice((int) (at - start), (int) length);
                        top.pread(data, at, 0);
                        data.clear();
                    }
                } catch (IOException | RuntimeException e) {
                    return fail(r, e);
                }
                replies.dataChunk(r, at, data, last);
            }
            at += length;
        }
        return 0;
    }

    private int blockStatus(ServerRequestHeader r) throws IOException {
        boolean one = r.hasFlag(CommandFlags.REQ_ONE);
        long end = r.offset() + r.length();
        // The last extent may say how far it goes past the request (to the end of the export), as nbdkit's do.
        ExtentList extents = one ? new ExtentList(r.offset(), end, 1)
                : new ExtentList(r.offset(), end, session.size(), ExtentList.MAX_DESCRIPTORS,
                        session.extendedHeaders() ? Long.MAX_VALUE : 0xffff_ffffL);
        try {
            top.extents(r.length(), r.offset(), one ? Flags.REQ_ONE : 0, extents);
        } catch (IOException | RuntimeException e) {
            return fail(r, e);
        }
        replies.blockStatus(r, session.metaContextId(), extents);
        return 0;
    }

    /** Sends the error reply for {@code failure}; returns the error value sent. */
    private int fail(ServerRequestHeader r, Throwable failure) throws IOException {
        int wire = WireErrors.toWire(failure, r.flags());
        if (failure instanceof NbdException || !(failure instanceof RuntimeException)) {
            LOG.info("conn {}: {} at {} length {} failed: {}", connectionId, Command.name(r.type()), r.offset(),
                    r.length(), failure.getMessage());
        } else {
            LOG.warn("conn {}: {} at {} length {} failed with an unexpected exception", connectionId,
                    Command.name(r.type()), r.offset(), r.length(), failure);
        }
        replies.error(r, wire, failure.getMessage() == null ? failure.toString() : failure.getMessage());
        return wire;
    }
}
