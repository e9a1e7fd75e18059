package io.nbd4j.filters.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log file, in nbdkit's line format, so that tools reading nbdkit's logs read ours:
 * <pre>
 * 2026-12-06 03:17:34.203999 connection=1 Write id=1 offset=0x0 count=0x200 fua=1 ...
 * 2026-12-06 03:17:34.204042 connection=1 ...Write id=1 return=0
 * </pre>
 * A UTC timestamp with microseconds, {@code connection=N} for events of a connection, the action
 * (prefixed with {@code ...} when it closes a call), {@code id=N} for a call, the fields, and
 * {@code ...} at the end of an entry that opens a call.
 *
 * <p><b>Threads.</b> Any number of threads log at once. Each line is formatted by its caller and
 * written by one {@code write} under a lock held for that write only (nbdkit's {@code flockfile}),
 * so lines never interleave and no lock is held while a call runs below the filter. The stream is a
 * {@link FileOutputStream}, not a channel, so that an interrupted request thread cannot close the
 * file for everyone.
 */
final class LogFile implements AutoCloseable {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private final ReentrantLock writing = new ReentrantLock();

    /** Opens (creating) the file, emptied unless {@code append}. */
    LogFile(Path path, boolean append) throws IOException {
        this.out = new FileOutputStream(path.toFile(), append);
    }

    static String line(Instant when, Entry e) {
        StringBuilder b = new StringBuilder(128).append(TIMESTAMP.format(when)).append(' ');
        if (e.connection() != 0) {
            b.append("connection=").append(e.connection()).append(' ');
        }
        if (e.type() == Entry.Type.LEAVE) {
            b.append("...");
        }
        b.append(e.action());
        if (e.id() != 0) {
            b.append(" id=").append(e.id());
        }
        if (!e.fields().isEmpty()) {
            b.append(' ').append(e.fields());
        }
        if (e.type() == Entry.Type.ENTER) {
            b.append(" ...");
        }
        return b.append('\n').toString();
    }

    void write(Entry entry) throws IOException {
        byte[] bytes = line(Instant.now(), entry).getBytes(StandardCharsets.UTF_8);
        writing.lock();
        try {
            out.write(bytes);
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
