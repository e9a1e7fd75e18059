package io.nbd4j.plugins.curl;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection's read-only view of the remote image: its size as found when the client
 * connected, and reads served by ranged GETs. Any failure of the server reaches the client as EIO.
 *
 * <p>Threads: as many as the server sends at once; {@link RemoteDisk} bounds the requests in flight.
 */
final class CurlHandle implements Handle {
    private final RemoteDisk disk;
    private final long size;

    CurlHandle(RemoteDisk disk, long size) {
        this.disk = disk;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    /** Every client sees the same remote bytes, and nothing is written. */
    @Override
    public boolean canMultiConn() {
        return true;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        try {
            disk.read(buffer, offset);
        } catch (NbdException e) {
            throw e;
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, e.getMessage(), e);
        }
    }
}
