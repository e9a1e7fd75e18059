package io.nbd4j.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One layer's view of one client connection (nbdkit calls it a context): the capability queries and
 * the data calls. A plugin returns one from {@link Plugin#open}; a filter returns one from
 * {@link Filter#open}, usually a {@link FilterHandle} wrapping the layer below.
 *
 * <p><b>Threads.</b> The server calls a handle from as many threads at once as the effective
 * {@link ThreadModel} allows, and never more. Capability queries and {@link #size()} are asked once per
 * connection, before the first data call, and the answers are cached by the server.
 *
 * <p><b>Validation.</b> Before a data call reaches the top handle the server has checked the range
 * against {@link #size()}, that the call was advertised, and that the flags are allowed; a filter
 * calling the layer below must keep the same rules.
 *
 * <p><b>Buffers.</b> A buffer passed to a data call belongs to the caller; the handle uses the bytes
 * between its position and limit during the call only and must not keep a reference afterwards.
 * Whether position moves is unspecified: callers must not rely on it.
 */
public interface Handle extends AutoCloseable {

    // ---- lifecycle ----

    /** Called once the layers below are open and prepared; a good place to query them. */
    default void prepare(boolean readOnly) throws IOException {}

    /** Called when the connection ends normally, before {@link #close()}; may still call the layer below. */
    default void finish() throws IOException {}

    /** Releases the handle. Must not fail and must not call the layer below. */
    @Override
    default void close() {}

    // ---- what the export is ----

    /** The export size in bytes. */
    long size() throws IOException;

    /** A description for {@code NBD_INFO_DESCRIPTION}, or {@code null}. */
    default String description() throws IOException {
        return null;
    }

    /** Block size constraints, or {@code null} for none. */
    default BlockSize blockSize() throws IOException {
        return null;
    }

    /**
     * Whether the server holds clients to {@link #blockSize()}: it then refuses with EINVAL, before
     * any layer sees them, requests not aligned to the minimum and reads or writes over the maximum.
     * True by default. A layer that takes any request and deals with the misfits itself answers false
     * (the blocksize-policy filter with {@code blocksize-error-policy=allow}); the constraints are then
     * only advertised, which is what nbdkit, which never checks them, does.
     */
    default boolean blockSizeEnforced() throws IOException {
        return true;
    }

    // ---- capabilities ----

    default boolean canWrite() throws IOException {
        return false;
    }

    default boolean canFlush() throws IOException {
        return false;
    }

    default boolean isRotational() throws IOException {
        return false;
    }

    default boolean canTrim() throws IOException {
        return false;
    }

    /**
     * Whether {@link #zero} should be tried. When false the server still advertises write-zeroes to the
     * client and writes buffers of zeroes instead ({@link ZeroMode#EMULATE}). This is all a plugin needs
     * to answer; a layer that must hide write-zeroes altogether answers {@link #zeroMode()}.
     */
    default boolean canZero() throws IOException {
        return false;
    }

    /**
     * How write-zeroes is advertised and served, the three answers of nbdkit's {@code can_zero}. The
     * default derives it from {@link #canZero()}: {@link ZeroMode#NATIVE} when true, else
     * {@link ZeroMode#EMULATE} (a plugin cannot hide write-zeroes, as in nbdkit). The server asks this,
     * not {@link #canZero()}, and only of a writable layer; through {@link Next}, {@code canZero()} is
     * true exactly when the cached answer is {@link ZeroMode#NATIVE}.
     */
    default ZeroMode zeroMode() throws IOException {
        return canZero() ? ZeroMode.NATIVE : ZeroMode.EMULATE;
    }

    /**
     * Whether {@link Flags#FAST_ZERO} may be advertised: zero either beats a write or fails fast with
     * ENOTSUP. Not asked (and false) when {@link #zeroMode()} is {@link ZeroMode#NONE}.
     */
    default boolean canFastZero() throws IOException {
        return !canZero();
    }

    default FuaMode canFua() throws IOException {
        return canFlush() ? FuaMode.EMULATE : FuaMode.NONE;
    }

    default CacheMode canCache() throws IOException {
        return CacheMode.NONE;
    }

    default boolean canExtents() throws IOException {
        return false;
    }

    /** Whether a flush on any connection makes writes from every connection of the same export durable and visible. */
    default boolean canMultiConn() throws IOException {
        return false;
    }

    // ---- data ----

    /** Fills {@code buffer} (position to limit) with the bytes at {@code offset}. Flags are always 0. */
    void pread(ByteBuffer buffer, long offset, int flags) throws IOException;

    /**
     * Optionally, the {@code length} bytes at {@code offset} as a buffer the server may send as it is,
     * without the copy {@link #pread} makes: for a layer that holds its data in memory already. Returns
     * {@code null} (the default) when it cannot, and the server calls {@link #pread} instead; the server
     * asks only a layer that runs requests in parallel, and only for reads it has validated.
     *
     * <p>The buffer (position 0, limit {@code length}) must stay readable until this handle is closed
     * and must not be changed by its receiver. A write to the same bytes while it is being sent may be
     * seen in part, as with any read racing a write. A view may be a mapping of a file (the file
     * plugin's): if another process shrinks the file, its pages past the new end cannot be read any
     * more; a socket write of them fails ({@code EFAULT}) and Java code reading them gets
     * {@link InternalError}, so a receiver that reads a view's bytes itself must treat that error as
     * a failed read.
     */
    default ByteBuffer readView(long offset, int length) throws IOException {
        return null;
    }

    /**
     * Optionally, starts the read {@link #pread} would make and returns at once; the bytes land in
     * {@code buffer} (position to limit, which stay put) and then {@code done} is called, on whatever
     * thread the handle finishes on. For a layer that waits for another server: the server's request
     * thread need not wait with it. Returns false (the default) when it cannot, having started nothing
     * and with {@code done} never to be called; the server then calls {@link #pread}, and asks no more
     * on that connection. The server asks only a plugin that runs requests in parallel and has no
     * filter above it, only for reads it has validated, and sends the client's reply inside
     * {@code done} (see {@link Completion}).
     *
     * <p>{@code buffer} belongs to the handle until {@code done} is called. A handle that throws has
     * started nothing and never calls {@code done}; the server answers with the exception.
     */
    default boolean startPread(ByteBuffer buffer, long offset, int flags, Completion done) throws IOException {
        return false;
    }

    /** Writes the bytes of {@code buffer} (position to limit) at {@code offset}. Flags: {@link Flags#FUA}. */
    default void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        throw new NbdException(NbdError.EPERM, "this export is read-only");
    }

    /**
     * Optionally, starts the write {@link #pwrite} would make, as {@link #startPread} starts a read:
     * returns at once and calls {@code done} when the write is over, or returns false (the default)
     * having started nothing. {@code flags} may hold {@link Flags#FUA} only when {@link #canFua} is
     * {@link FuaMode#NATIVE}. {@code buffer} belongs to the handle until {@code done} is called.
     */
    default boolean startPwrite(ByteBuffer buffer, long offset, int flags, Completion done) throws IOException {
        return false;
    }

    /** Makes every write completed so far durable. */
    default void flush(int flags) throws IOException {
        throw new NbdException(NbdError.EINVAL, "flush is not supported");
    }

    /** Discards a range; it may read back as anything afterwards. Flags: {@link Flags#FUA}. */
    default void trim(long length, long offset, int flags) throws IOException {
        throw new NbdException(NbdError.EINVAL, "trim is not supported");
    }

    /**
     * Makes a range read as zeroes. Flags: {@link Flags#MAY_TRIM}, {@link Flags#FUA}, {@link Flags#FAST_ZERO}.
     * Throwing {@link NbdError#ENOTSUP} makes the server fall back to writing zeroes (unless FAST_ZERO).
     */
    default void zero(long length, long offset, int flags) throws IOException {
        throw new NbdException(NbdError.ENOTSUP, "zero is not supported");
    }

    /** Reports allocation from {@code offset} on, covering at least its first byte. Flags: {@link Flags#REQ_ONE}. */
    default void extents(long length, long offset, int flags, Extents extents) throws IOException {
        extents.add(offset, length, Extents.DATA);
    }

    /** Prefetches a range (only when {@link #canCache()} is {@link CacheMode#NATIVE}). */
    default void cache(long length, long offset, int flags) throws IOException {}
}
