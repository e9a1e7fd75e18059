package io.nbd4j.plugins.tmpdisk;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes one connection's disk: a private directory under the temporary directory, and in it
 * {@code disk}, either a sparse file of the requested size or whatever {@code command} creates.
 *
 * <p>Threads: immutable; {@link #create} may run on many connection threads at once, each with its own
 * directory.
 */
final class DiskCreator {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCreator.class);
    /** How much of the command's output is kept for the error message. */
    private static final int OUTPUT_LIMIT = 4096;

    private final Path base;
    private final long size;
    private final String command;
    private final Map<String, String> variables;

    /**
     * @param base      where the private directories go
     * @param size      the requested size in bytes
     * @param command   a shell fragment that creates {@code $disk}, or {@code null} for an empty sparse file
     * @param variables extra shell variables for the command
     */
    DiskCreator(Path base, long size, String command, Map<String, String> variables) {
        this.base = base;
        this.size = size;
        this.command = command;
        this.variables = Map.copyOf(variables);
    }

    /** A created disk; {@link #delete()} removes it and its directory. */
    record Created(Path directory, Path disk) {
        void delete() {
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warn("tmpdisk: could not remove {}: {}", directory, e.toString());
            }
        }
    }

    Created create() throws IOException {
        Path directory = Files.createTempDirectory(base, "nbd4j-tmpdisk-");
        Created created = new Created(directory, directory.resolve("disk"));
        try {
            if (command == null) {
                try (RandomAccessFile f = new RandomAccessFile(created.disk().toFile(), "rw")) {
                    f.setLength(size);
                }
            } else {
                run(created.disk());
            }
            if (!Files.isRegularFile(created.disk())) {
                throw new NbdException(NbdError.EIO, "tmpdisk: command= did not create a regular file at $disk");
            }
            return created;
        } catch (IOException | RuntimeException e) {
            created.delete();
            throw e;
        }
    }

    private void run(Path disk) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.putAll(variables);
        env.put("disk", disk.toString());
        env.put("size", Long.toString(size));
        Process process = pb.start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = tail(out);
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.ESHUTDOWN, "tmpdisk: interrupted while command= was running", e);
        }
        if (status != 0) {
            throw new NbdException(NbdError.EIO, "tmpdisk: command= failed with exit status " + status
                    + (output.isBlank() ? "" : ": " + output.strip()));
        }
        if (!output.isBlank()) {
            LOG.debug("tmpdisk: command= said: {}", output.strip());
        }
    }

    /** Reads the stream to its end, keeping the last {@link #OUTPUT_LIMIT} bytes. */
    private static String tail(InputStream in) throws IOException {
        byte[] kept = new byte[0];
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            byte[] joined = new byte[Math.min(OUTPUT_LIMIT, kept.length + n)];
            int fromChunk = Math.min(n, joined.length);
            int fromKept = joined.length - fromChunk;
            System.arraycopy(kept, kept.length - fromKept, joined, 0, fromKept);
            System.arraycopy(chunk, n - fromChunk, joined, fromKept, fromChunk);
            kept = joined;
        }
        return new String(kept, Charset.defaultCharset());
    }
}
