package io.nbd4j.client;

import io.nbd4j.protocol.ClientChunkDecoder;
import io.nbd4j.protocol.ClientChunkDecoder.BlockStatus;
import io.nbd4j.protocol.ClientChunkDecoder.ErrorChunk;
import io.nbd4j.protocol.ClientChunkDecoder.Hole;
import io.nbd4j.protocol.ClientReplyHeader;
import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.ErrorCode;
import io.nbd4j.protocol.ReplyType;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Reads every reply of a connection and hands each to the request with its cookie: simple replies,
 * structured chunks and extended chunks alike. Read data goes straight from the socket into the
 * caller's buffer. When the stream ends or breaks, or the server violates the protocol, every
 * outstanding request fails and the connection is closed. An {@code NBD_ESHUTDOWN} error is reported to
 * {@link Events} so that the connection can disconnect as the protocol requires.
 *
 * <p>Threading: {@link #run} is the body of the connection's single reader thread; nothing else reads
 * the stream. Futures are completed on this thread, so their non-async dependants must not block.
 */
final class ReplyReader implements Runnable {
    /** Error chunks carry at most a 4 KiB message; this leaves room for unknown trailing fields. */
    private static final long MAX_ERROR_PAYLOAD = 64 * 1024;
    /** The protocol suggests at most 2^20 descriptors per chunk; allow their extended size. */
    private static final long MAX_STATUS_PAYLOAD = 8 + 16L * (1 << 20);

    /** What the reader tells its connection; called on the reader thread, so implementations must not block. */
    interface Events {
        /** Whether the client itself is ending the connection, which makes an end of stream expected. */
        boolean disconnecting();

        /** The server replied {@code NBD_ESHUTDOWN}: the protocol obliges the client to disconnect softly. */
        void serverShuttingDown();

        /** The reader has stopped; {@code failure} is null after a clean disconnect. */
        void ended(NbdClientException failure);
    }

    private final ByteStream stream;
    private final InFlightRequests inFlight;
    private final Map<Integer, String> contextNames;
    private final Events events;
    private boolean shutdownSignalled;
    private final ByteBuffer header = ByteBuffer.allocateDirect(ClientReplyHeader.EXTENDED_SIZE);
    private final ByteBuffer dataOffset = ByteBuffer.allocateDirect(8);

    ReplyReader(ByteStream stream, InFlightRequests inFlight, Map<Integer, String> contextNames, Events events) {
        this.stream = stream;
        this.inFlight = inFlight;
        this.contextNames = contextNames;
        this.events = events;
    }

    @Override
    public void run() {
        NbdClientException failure;
        try {
            while (readOneReply()) {
                // each iteration handles one reply message
            }
            failure = events.disconnecting() ? null : new NbdClientException("server closed the connection");
        } catch (ProtocolException e) {
            failure = new NbdClientException("server violated the NBD protocol: " + e.getMessage(), e);
        } catch (IOException e) {
            failure = events.disconnecting() ? null : new NbdClientException("connection lost: " + e, e);
        } catch (RuntimeException e) {
            failure = new NbdClientException("reply reader failed: " + e, e);
        }
        inFlight.failAll(failure != null ? failure : new NbdClientException("client disconnected"));
        try {
            stream.close();
        } catch (IOException ignored) {
            // Closing is the last step of an ending that has already been reported to every request.
        }
        events.ended(failure);
    }

    /** Reads and dispatches one reply message; false on a clean end of stream between messages. */
    private boolean readOneReply() throws IOException {
        header.clear().limit(ClientReplyHeader.PREFIX_SIZE);
        if (!Transport.readFullyOrEof(stream, header)) {
            return false;
        }
        header.limit(ClientReplyHeader.headerSize(header.getInt(0)));
        Transport.readFully(stream, header);
        ClientReplyHeader reply = ClientReplyHeader.decode(header.flip());
        PendingRequest request = inFlight.get(reply.cookie());
        if (request == null) {
            throw new ProtocolException("reply for cookie " + reply.cookie() + ", which no request in flight has");
        }
        if (reply.kind() == ClientReplyHeader.Kind.SIMPLE) {
            simpleReply(reply, request);
        } else {
            chunk(reply, request);
        }
        if (reply.isFinal()) {
            inFlight.remove(request);
            request.finish();
        }
        return true;
    }

    private void simpleReply(ClientReplyHeader reply, PendingRequest request) throws IOException {
        if (reply.error() != 0) {
            request.error(serverError(request, reply.error(), null));
        } else if (request.isRead()) {
            Transport.readFully(stream, request.wholeReadTarget());
        }
    }

    private void chunk(ClientReplyHeader reply, PendingRequest request) throws IOException {
        long length = reply.payloadLength();
        int type = reply.type();
        switch (type) {
            case ReplyType.NONE -> {
                if (length != 0 || !reply.isFinal()) {
                    throw new ProtocolException("NONE chunk must be final and empty (length " + length + ")");
                }
            }
            case ReplyType.OFFSET_DATA -> {
                requireCommand(request, Command.READ, type);
                if (length < 9) {
                    throw new ProtocolException("OFFSET_DATA chunk of " + length + " bytes is shorter than 9");
                }
                Transport.readFully(stream, dataOffset.clear());
                long at = ClientChunkDecoder.decodeDataOffset(dataOffset.flip());
                Transport.readFully(stream, request.dataSlice(at, length - 8));
            }
            case ReplyType.OFFSET_HOLE -> {
                requireCommand(request, Command.READ, type);
                Hole hole = ClientChunkDecoder.decodeHole(payload(length, 16, type));
                request.hole(hole.offset(), hole.length());
            }
            case ReplyType.BLOCK_STATUS, ReplyType.BLOCK_STATUS_EXT -> {
                requireCommand(request, Command.BLOCK_STATUS, type);
                BlockStatus status = ClientChunkDecoder.decodeBlockStatus(payload(length, MAX_STATUS_PAYLOAD, type),
                        type == ReplyType.BLOCK_STATUS_EXT);
                String context = contextNames.get(status.contextId());
                if (context == null) {
                    throw new ProtocolException("block status for context id " + status.contextId()
                            + ", which was not negotiated");
                }
                request.blockStatus(context, status.descriptors());
            }
            default -> {
                if (!ReplyType.isError(type)) {
                    throw new ProtocolException("unknown chunk type " + type);
                }
                ErrorChunk error = ClientChunkDecoder.decodeError(type, payload(length, MAX_ERROR_PAYLOAD, type));
                String message = error.message();
                if (error.offset() != ClientChunkDecoder.NO_OFFSET) {
                    message = (message.isEmpty() ? "" : message + " ") + "(at offset " + error.offset() + ")";
                }
                request.error(serverError(request, error.error(), message));
            }
        }
    }

    private ByteBuffer payload(long length, long limit, int type) throws IOException {
        if (length > limit) {
            throw new ProtocolException("chunk type " + type + " of " + length + " bytes exceeds the "
                    + limit + "-byte limit");
        }
        return Transport.readBytes(stream, (int) length);
    }

    private static void requireCommand(PendingRequest request, int command, int chunkType) throws ProtocolException {
        if (request.type != command) {
            throw new ProtocolException("chunk type " + chunkType + " in reply to " + request.describe());
        }
    }

    private NbdClientException serverError(PendingRequest request, int error, String message) {
        if (error == ErrorCode.ESHUTDOWN && !shutdownSignalled) {
            shutdownSignalled = true;
            events.serverShuttingDown();
        }
        return new NbdClientException(PendingRequest.errorMessage(request, error, message), error, null);
    }
}
