package io.nbd4j.plugins.nbd;

import io.nbd4j.client.BlockSizes;
import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Completion;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One client connection's view of the upstream server: every capability is the upstream export's, every
 * request goes to the upstream connection as it came, with its flags. Read data lands straight in the
 * server's buffer and write data leaves from it. An upstream error reply reaches the client with the
 * same error; a lost upstream connection fails every request with EIO.
 *
 * <p>Threads: as many as the server sends at once; {@link NbdClient} pipelines them on its one
 * connection. Reads and writes the server starts ({@link #startPread}) complete on the client's reader
 * thread, which then sends the reply to this handle's client: it may block there while that client's
 * socket is full, holding up only replies to the same client. The handle keeps no state of its own
 * beyond the client.
 */
final class ProxyHandle implements Handle {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandle.class);
    /** The largest 32-bit length, for splitting long trims, zeroes and caches without extended headers. */
    private static final long MAX_NARROW_LENGTH = 0xffff_ffffL;

    private final NbdClient client;
    private final boolean ownsClient;
    private final boolean multiConn;
    /** How much one request may cover: 2^63-1 with extended headers, else 4 GiB less one minimum block. */
    private final long maxEffectLength;

    /**
     * @param ownsClient whether {@link #close} disconnects the client (false when it is shared)
     * @param multiConn  what to advertise: the upstream's flag, or true when all clients share one connection
     */
    ProxyHandle(NbdClient client, boolean ownsClient, boolean multiConn) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.multiConn = multiConn;
        long minimum = client.exportInfo().blockSizes().map(BlockSizes::minimum).orElse(1L);
        this.maxEffectLength = client.extendedHeadersNegotiated() ? Long.MAX_VALUE
                : MAX_NARROW_LENGTH + 1 - Math.max(1, minimum);
    }

    @Override
    public long size() {
        return client.size();
    }

    @Override
    public String description() {
        return client.exportInfo().description().orElse(null);
    }

    /** The upstream's constraints, or none if they break the protocol's rules (nothing sensible to pass on). */
    @Override
    public BlockSize blockSize() {
        return client.exportInfo().blockSizes().map(b -> {
            try {
                return new BlockSize(b.minimum(), b.preferred(), b.maximum());
            } catch (IllegalArgumentException e) {
                LOG.warn("nbd: not passing on the upstream's invalid block sizes {}: {}", b, e.getMessage());
                return null;
            }
        }).orElse(null);
    }

    @Override
    public boolean canWrite() {
        return !client.isReadOnly();
    }

    @Override
    public boolean canFlush() {
        return client.canFlush();
    }

    @Override
    public boolean isRotational() {
        return client.isRotational();
    }

    @Override
    public boolean canTrim() {
        return client.canTrim();
    }

    @Override
    public boolean canZero() {
        return client.canZero();
    }

    @Override
    public boolean canFastZero() {
        return client.canFastZero();
    }

    @Override
    public FuaMode canFua() {
        return client.canFua() ? FuaMode.NATIVE : FuaMode.NONE;
    }

    @Override
    public CacheMode canCache() {
        return client.canCache() ? CacheMode.NATIVE : CacheMode.NONE;
    }

    @Override
    public boolean canExtents() {
        return !client.metaContexts().isEmpty();
    }

    @Override
    public boolean canMultiConn() {
        return multiConn;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        try {
            client.pread(buffer, offset);
        } catch (IOException e) {
            throw upstreamFailure(e);
        }
    }

    /**
     * The read goes upstream from the calling thread and its reply is sent on from the connection's
     * reader thread, with no server thread waiting in between. Not with a shared connection: its reader
     * would then send every client's replies, and one slow client would hold up the others.
     */
    @Override
    public boolean startPread(ByteBuffer buffer, long offset, int flags, Completion done) {
        if (!ownsClient) {
            return false;
        }
        client.preadAsync(buffer, offset, 0).whenComplete((ignored, failure) -> done.complete(completionFailure(failure)));
        return true;
    }

    /** As {@link #startPread}; the data are in the upstream socket when this returns. */
    @Override
    public boolean startPwrite(ByteBuffer buffer, long offset, int flags, Completion done) {
        if (!ownsClient) {
            return false;
        }
        client.pwriteAsync(buffer, offset, fua(flags))
                .whenComplete((ignored, failure) -> done.complete(completionFailure(failure)));
        return true;
    }

    private static IOException completionFailure(Throwable failure) {
        if (failure == null) {
            return null;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof IOException e ? upstreamFailure(e)
                : new NbdException(NbdError.EIO, "upstream request failed: " + cause, cause);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        try {
            client.pwrite(buffer, offset, fua(flags));
        } catch (IOException e) {
            throw upstreamFailure(e);
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        try {
            client.flush();
        } catch (IOException e) {
            throw upstreamFailure(e);
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        int wire = fua(flags);
        inPieces(length, offset, (pieceLength, pieceOffset) -> client.trim(pieceLength, pieceOffset, wire));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        int wire = fua(flags)
                | (Flags.has(flags, Flags.MAY_TRIM) ? 0 : CommandFlags.NO_HOLE)
                | (Flags.has(flags, Flags.FAST_ZERO) ? CommandFlags.FAST_ZERO : 0);
        inPieces(length, offset, (pieceLength, pieceOffset) -> client.zero(pieceLength, pieceOffset, wire));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        inPieces(length, offset, client::cache);
    }

    private interface RangeRequest {
        void send(long length, long offset) throws IOException;
    }

    /** Sends a request that may be longer than one request can say as consecutive pieces. */
    private void inPieces(long length, long offset, RangeRequest request) throws NbdException {
        try {
            for (long done = 0; done < length; ) {
                long piece = Math.min(length - done, maxEffectLength);
                request.send(piece, offset + done);
                done += piece;
            }
        } catch (IOException e) {
            throw upstreamFailure(e);
        }
    }

    /** The upstream's extents for the range (it may describe less of it, never nothing). */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        int wire = Flags.has(flags, Flags.REQ_ONE) ? CommandFlags.REQ_ONE : 0;
        List<Extent> reported;
        try {
            reported = client.blockStatus(Math.min(length, maxEffectLength), offset, wire);
        } catch (IOException e) {
            throw upstreamFailure(e);
        }
        if (reported.isEmpty()) {
            throw new NbdException(NbdError.EIO, "upstream server described no extent at offset " + offset);
        }
        for (Extent extent : reported) {
            extents.add(extent.offset(), extent.length(), (int) (extent.flags() & (Extents.HOLE | Extents.ZERO)));
        }
    }

    private static int fua(int flags) {
        return Flags.has(flags, Flags.FUA) ? CommandFlags.FUA : 0;
    }

    /**
     * The upstream's own error for an error reply; EIO for a connection that broke, whose cause
     * the server's log line then names.
     */
    private static NbdException upstreamFailure(IOException e) {
        if (e instanceof NbdClientException failure && failure.error() != NbdClientException.NO_ERROR_VALUE) {
            return new NbdException(NbdError.fromWire(failure.error()), "upstream: " + e.getMessage(), e);
        }
        return new NbdException(NbdError.EIO, "upstream connection failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (!ownsClient) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("nbd: closing the upstream connection: {}", e.getMessage());
        }
    }
}
