package io.nbd4j.filters.gzip;

import io.nbd4j.filters.common.DecodedImageHandle;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's view of the decompressed image (read-only, see {@link DecodedImageHandle}). The
 * layer below is read once, by the first connection to {@link #prepare}, and then only flushed through.
 *
 * <p><b>Threads.</b> {@link #prepare} runs once per connection before any data call; the data calls
 * then only read the shared image, from any number of threads.
 */
final class GzipHandle extends DecodedImageHandle {
    private final GzipFilter filter;
    private DecompressedImage image;

    GzipHandle(Next next, GzipFilter filter) {
        super(next);
        this.filter = filter;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        image = filter.image(next);
    }

    @Override
    public long size() {
        return image.size();
    }

    /** Runs of zeroes were left out of the image, so they are known. */
    @Override
    public boolean canExtents() {
        return true;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        image.read(buffer, offset);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        image.extents(length, offset, Flags.has(flags, Flags.REQ_ONE), extents);
    }
}
