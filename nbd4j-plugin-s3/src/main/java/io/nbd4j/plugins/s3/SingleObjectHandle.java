package io.nbd4j.plugins.s3;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves one existing object read-only through ranged GETs ({@code key=} without {@code size=}). A large
 * read is split into parts fetched at once.
 *
 * <p>Threads: any number of request threads; immutable.
 */
final class SingleObjectHandle implements Handle {
    private static final int PART = 4 << 20;

    private final Bucket bucket;
    private final String key;
    private final long size;

    SingleObjectHandle(Bucket bucket, String key, long size) {
        this.bucket = bucket;
        this.key = key;
        this.size = size;
    }

    @Override public long size() { return size; }
    @Override public boolean canMultiConn() { return true; }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        ByteBuffer request = buffer.slice();
        List<Integer> starts = new ArrayList<>();
        for (int at = 0; at < request.remaining(); at += PART) {
            starts.add(at);
        }
        FanOut.forEach(starts, at -> {
            ByteBuffer target = request.slice(at, Math.min(PART, request.remaining() - at));
            if (!bucket.read(key, offset + at, target, size)) {
                throw new NbdException(NbdError.EIO,
                        "s3: object " + key + " no longer exists in bucket " + bucket.name());
            }
        });
    }
}
