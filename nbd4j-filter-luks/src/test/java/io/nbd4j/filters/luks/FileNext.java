package io.nbd4j.filters.luks;

import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file as the layer below a filter, for tests without a server. Thread-safe (positional I/O). */
final class FileNext implements Next, AutoCloseable {
    private final FileChannel file;

    FileNext(Path path) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override public long size() throws IOException { return file.size(); }
    @Override public boolean canWrite() { return true; }
    @Override public boolean canFlush() { return true; }
    @Override public void flush(int flags) throws IOException { file.force(false); }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        ByteBuffer into = buffer.slice();
        while (into.hasRemaining()) {
            if (file.read(into, offset + into.position()) < 0) {
                throw new IOException("read past the end");
            }
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        ByteBuffer from = buffer.slice();
        while (from.hasRemaining()) {
            file.write(from, offset + from.position());
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
