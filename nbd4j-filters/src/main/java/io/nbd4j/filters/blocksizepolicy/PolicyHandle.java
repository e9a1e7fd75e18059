package io.nbd4j.filters.blocksizepolicy;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The blocksize-policy filter for one connection: advertises the policy's block size and, under
 * {@code blocksize-error-policy=error}, refuses with EINVAL each request that breaks it before the
 * layer below sees it. The server is told not to check the block size itself, so that with
 * {@code allow} such requests reach the layer below, and an oversized write can still end the
 * connection ({@code blocksize-write-disconnect}).
 *
 * <p><b>Threads.</b> Any number of request threads; the block size is worked out once in {@link #prepare}.
 */
final class PolicyHandle extends FilterHandle {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHandle.class);

    private final Policy policy;
    private final ClientConnection connection;
    private volatile BlockSize advertised;

    PolicyHandle(Next next, Policy policy, ClientConnection connection) {
        super(next);
        this.policy = policy;
        this.connection = connection;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        advertised = policy.advertised(next.blockSize());
    }

    @Override
    public BlockSize blockSize() {
        return advertised;
    }

    /** This filter decides what happens to requests that break the block size, not the server. */
    @Override
    public boolean blockSizeEnforced() {
        return false;
    }

    /** Under the error policy, refuses a request that breaks the block size; {@code data}: a read or write, held to the maximum too. */
    private void check(String what, boolean data, long count, long offset) throws NbdException {
        BlockSize b = advertised;
        if (!policy.refuse() || b == null) {
            return;
        }
        String problem = null;
        if (count < b.minimum()) {
            problem = "count " + count + " is smaller than the minimum size " + b.minimum();
        } else if (data && count > b.maximum()) {
            problem = "count " + count + " is larger than the maximum size " + b.maximum();
        } else if (count % b.minimum() != 0) {
            problem = "count " + count + " is not a multiple of the minimum size " + b.minimum();
        } else if (offset % b.minimum() != 0) {
            problem = "offset " + offset + " is not a multiple of the minimum size " + b.minimum();
        }
        if (problem != null) {
            throw new NbdException(NbdError.EINVAL, "blocksize-policy: client " + what + " request refused: " + problem);
        }
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        check("pread", true, buffer.remaining(), offset);
        next.pread(buffer, offset, flags);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        if (policy.writeDisconnect() != 0 && buffer.remaining() > policy.writeDisconnect()) {
            LOG.warn("blocksize-policy: disconnecting the client: a write of {} bytes is over {}", buffer.remaining(),
                    policy.writeDisconnect());
            connection.disconnect(true);
            throw new NbdException(NbdError.ESHUTDOWN, "blocksize-policy: write of " + buffer.remaining()
                    + " bytes is over blocksize-write-disconnect; disconnecting");
        }
        check("pwrite", true, buffer.remaining(), offset);
        next.pwrite(buffer, offset, flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        check("zero", false, length, offset);
        next.zero(length, offset, flags);
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        check("trim", false, length, offset);
        next.trim(length, offset, flags);
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        check("cache", false, length, offset);
        next.cache(length, offset, flags);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        check("extents", false, length, offset);
        next.extents(length, offset, flags, extents);
    }
}
