package io.nbd4j.filters.gzip;

import io.nbd4j.spi.DataRuns;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A whole decompressed stream kept in a hidden temporary file (created, then unlinked at once, so it
 * vanishes with the process whatever happens), with the runs of zeroes left out: the file is sparse
 * and the extents of the image are known exactly.
 *
 * <p><b>Threads.</b> Built by one thread; afterwards {@link #read} and {@link #extents} may be called
 * by any number of threads at once (positional reads of a {@link FileChannel} are thread-safe).
 * {@link #close} must not race with them.
 */
final class DecompressedImage implements AutoCloseable {
    /** Runs of zeroes are left out of the file in blocks of this size. */
    static final int BLOCK = 4096;
    private static final byte[] ZEROES = new byte[BLOCK];

    private final FileChannel file;
    private final long size;
    private final DataRuns runs;

    private DecompressedImage(FileChannel file, long size, DataRuns runs) {
        this.file = file;
        this.size = size;
        this.runs = runs;
    }

    /** Copies all of {@code decompressed} into a hidden sparse file in {@code directory}. */
    static DecompressedImage store(InputStream decompressed, Path directory) throws IOException {
        Path path = Files.createTempFile(directory, "nbd4j-gzip-", ".img");
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(path);
        }
        try {
            DataRuns runs = new DataRuns();
            byte[] chunk = new byte[1 << 20];
            long size = 0;
            int n;
            while ((n = decompressed.readNBytes(chunk, 0, chunk.length)) > 0) {
                storeChunk(file, chunk, n, size, runs);
                size += n;
            }
            file.truncate(size);
            if (file.size() < size) {
                file.write(ByteBuffer.allocate(1), size - 1);
            }
            return new DecompressedImage(file, size, runs);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Writes the blocks of {@code chunk[0, n)} that are not all zeroes at {@code at}. */
    private static void storeChunk(FileChannel file, byte[] chunk, int n, long at, DataRuns runs) throws IOException {
        int runStart = -1;
        for (int block = 0; block < n; block += BLOCK) {
            int blockEnd = Math.min(block + BLOCK, n);
            boolean data = Arrays.mismatch(chunk, block, blockEnd, ZEROES, 0, blockEnd - block) >= 0;
            if (data && runStart < 0) {
                runStart = block;
            } else if (!data && runStart >= 0) {
                storeRun(file, chunk, runStart, block, at, runs);
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            storeRun(file, chunk, runStart, n, at, runs);
        }
    }

    private static void storeRun(FileChannel file, byte[] chunk, int from, int to, long at, DataRuns runs) throws IOException {
        ByteBuffer run = ByteBuffer.wrap(chunk, from, to - from);
        while (run.hasRemaining()) {
            file.write(run, at + run.position());
        }
        runs.add(at + from, at + to);
    }

    long size() {
        return size;
    }

    /** Fills {@code buffer} (position to limit) with the image's bytes at {@code offset}; holes read as zeroes. */
    void read(ByteBuffer buffer, long offset) throws IOException {
        ByteBuffer into = buffer.slice();
        while (into.hasRemaining()) {
            int n = file.read(into, offset + into.position());
            if (n < 0) {
                throw new IOException("the temporary file of the decompressed image is shorter than " + size + " bytes");
            }
        }
    }

    void extents(long length, long offset, boolean onlyFirst, Extents sink) throws NbdException {
        runs.extents(length, offset, onlyFirst, sink);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
