package io.nbd4j.filters.xz;

import io.nbd4j.filters.common.LayerReader;
import org.tukaani.xz.SeekableInputStream;

import java.io.IOException;

/** The layer below as XZ for Java's {@link SeekableInputStream}. Threads: as {@link LayerReader}. */
final class LayerSeekableStream extends SeekableInputStream {
    private final LayerReader reader;

    LayerSeekableStream(LayerReader reader) {
        this.reader = reader;
    }

    @Override
    public int read() throws IOException {
        return reader.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return reader.read(b, off, len);
    }

    @Override
    public long length() {
        return reader.size();
    }

    @Override
    public long position() {
        return reader.position();
    }

    @Override
    public void seek(long pos) throws IOException {
        if (pos < 0) {
            throw new IOException("negative seek position " + pos);
        }
        reader.seek(pos);
    }
}
