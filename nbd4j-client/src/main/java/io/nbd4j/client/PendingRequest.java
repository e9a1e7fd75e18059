package io.nbd4j.client;

import io.nbd4j.protocol.ClientChunkDecoder.Descriptor;
import io.nbd4j.protocol.Command;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request between being sent and its final reply: what was asked, and the reply assembled so far
 * (read bytes landed, extents decoded, the first error seen).
 *
 * <p>Threading: created by the sending thread; after registration every method except {@link #done} is
 * called only by the reader thread, so the assembly state needs no lock. The future is completed once,
 * by the reader thread or by whoever fails the connection.
 */
final class PendingRequest {
    private static final byte[] ZEROES = new byte[64 * 1024];

    final long cookie;
    final int type;
    final long offset;
    final long length;
    private final ByteBuffer readTarget;
    private final int readBase;
    private final CompletableFuture<Map<String, List<Extent>>> done = new CompletableFuture<>();
    private Map<String, List<Extent>> extents;
    private NbdClientException error;
    private long bytesDelivered;

    private PendingRequest(long cookie, int type, long offset, long length, ByteBuffer readTarget) {
        this.cookie = cookie;
        this.type = type;
        this.offset = offset;
        this.length = length;
        this.readTarget = readTarget;
        this.readBase = readTarget == null ? 0 : readTarget.position();
    }

    /** A read into {@code target}'s bytes from its position to its limit; the target is a private duplicate. */
    static PendingRequest read(long cookie, long offset, ByteBuffer target) {
        return new PendingRequest(cookie, Command.READ, offset, target.remaining(), target);
    }

    static PendingRequest of(long cookie, int type, long offset, long length) {
        return new PendingRequest(cookie, type, offset, length, null);
    }

    /** Completes with the block status extents by context name for BLOCK_STATUS, or null otherwise. */
    CompletableFuture<Map<String, List<Extent>>> done() {
        return done;
    }

    boolean isRead() {
        return readTarget != null;
    }

    /** Where {@code count} bytes of data at export offset {@code at} go; checks they lie in the request. */
    ByteBuffer dataSlice(long at, long count) throws ProtocolException {
        return slice(at, count, "data");
    }

    private ByteBuffer slice(long at, long count, String what) throws ProtocolException {
        checkInside(at, count, what);
        int start = readBase + (int) (at - offset);
        bytesDelivered += count;
        return readTarget.duplicate().limit(start + (int) count).position(start);
    }

    /** The whole read target, for a simple reply that carries all the data. */
    ByteBuffer wholeReadTarget() {
        bytesDelivered = length;
        return readTarget.duplicate();
    }

    void hole(long at, long count) throws ProtocolException {
        ByteBuffer slice = slice(at, count, "hole");
        while (slice.hasRemaining()) {
            slice.put(ZEROES, 0, Math.min(ZEROES.length, slice.remaining()));
        }
    }

    void blockStatus(String context, List<Descriptor> descriptors) {
        List<Extent> list = new ArrayList<>(descriptors.size());
        long at = offset;
        for (Descriptor descriptor : descriptors) {
            list.add(new Extent(at, descriptor.length(), descriptor.flags()));
            at += descriptor.length();
        }
        if (extents == null) {
            extents = new LinkedHashMap<>();
        }
        extents.put(context, Collections.unmodifiableList(list));
    }

    /** Keeps the first error; the protocol says later chunks may still arrive before the final one. */
    void error(NbdClientException failure) {
        if (error == null) {
            error = failure;
        }
    }

    /** Completes the future from what was assembled; called once, after the final reply. */
    void finish() {
        if (error != null) {
            done.completeExceptionally(error);
        } else if (isRead() && bytesDelivered != length) {
            done.completeExceptionally(new NbdClientException("server's reply to the read of " + length
                    + " bytes at " + offset + " covered " + bytesDelivered + " bytes"));
        } else if (type == Command.BLOCK_STATUS) {
            done.complete(extents == null ? Map.of() : Collections.unmodifiableMap(extents));
        } else {
            done.complete(null);
        }
    }

    void fail(NbdClientException failure) {
        done.completeExceptionally(failure);
    }

    private void checkInside(long at, long count, String what) throws ProtocolException {
        if (at < offset || count < 0 || at - offset > length - count) {
            throw new ProtocolException(what + " chunk [" + at + ", +" + count + ") lies outside the read of "
                    + length + " bytes at " + offset);
        }
    }

    String describe() {
        return "NBD_CMD_" + Command.name(type) + " of " + length + " bytes at " + offset;
    }

    static String errorMessage(PendingRequest request, int error, String serverMessage) {
        return request.describe() + " failed with " + NbdClientException.errorName(error)
                + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage);
    }
}
