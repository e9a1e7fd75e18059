package io.nbd4j.filters.gzip;

import io.nbd4j.filters.common.LayerChannel;
import io.nbd4j.filters.common.LayerReader;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code --filter=gzip}: serves the decompressed contents of a gzip file that the layer below
 * provides, read-only. See the package documentation.
 *
 * <p><b>Threads.</b> The image is made once, by the first connection that gets as far as
 * {@code prepare}, under this object's monitor (later connections wait for it, and a failure leaves
 * the next connection to try again); {@link #unload} runs after every connection has closed.
 */
public final class GzipFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(GzipFilter.class);
    private static final int INPUT_CHUNK = 1 << 20;

    private final Path temporaryDirectory;
    private DecompressedImage image;

    public GzipFilter() {
        this(Path.of(System.getenv().getOrDefault("TMPDIR", "/var/tmp")));
    }

    /** A filter that keeps its temporary file in {@code temporaryDirectory} instead of {@code $TMPDIR}. */
    GzipFilter(Path temporaryDirectory) {
        this.temporaryDirectory = temporaryDirectory;
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String description() {
        return "serve a gzip-compressed image decompressed, read-only";
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new GzipHandle(below.open(request.readOnlyBelow()), this);
    }

    /** The decompressed image, made from {@code next} if no connection made it yet. */
    synchronized DecompressedImage image(Next next) throws IOException {
        if (image == null) {
            long started = System.nanoTime();
            try (InputStream in = new GZIPInputStream(Channels.newInputStream(new LayerChannel(new LayerReader(next), Long.MAX_VALUE)), INPUT_CHUNK)) {
                image = DecompressedImage.store(in, temporaryDirectory);
            } catch (ZipException | java.io.EOFException e) {
                throw new NbdException(NbdError.EIO, "gzip: the layer below is not a valid gzip file: " + e.getMessage(), e);
            }
            LOG.debug("gzip: decompressed {} bytes in {} ms", image.size(), (System.nanoTime() - started) / 1_000_000);
        }
        return image;
    }

    @Override
    public synchronized void unload() {
        if (image != null) {
            try {
                image.close();
            } catch (IOException e) {
                LOG.warn("gzip: closing the temporary file: {}", e.toString());
            }
            image = null;
        }
    }
}
