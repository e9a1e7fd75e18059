package io.nbd4j.plugins.sh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one method call of a script: {@code SCRIPT METHOD ARGS…} with {@code $tmpdir} added to the
 * server's environment, data on stdin for {@code pwrite} only (stdin is closed at once otherwise),
 * stdout collected, stderr kept for the error message.
 *
 * <p>A script without {@code #!} is run by {@code /bin/sh}: the JDK's launcher falls back to the shell
 * when the kernel answers ENOEXEC, as {@code execvp} does for nbdkit. Stderr and stdin are served by
 * virtual threads while the caller reads stdout, so a script that writes a lot to stderr before
 * reading stdin cannot deadlock.
 *
 * <p>Threads: any number of callers at once; each call owns its process and streams.
 */
final class ScriptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    /** Stderr only ever feeds one log line; a script that floods it is drained but not kept. */
    private static final int STDERR_KEPT = 64 * 1024;

    private final Path tmpdir;

    ScriptRunner(Path tmpdir) {
        this.tmpdir = tmpdir;
    }

    /**
     * What a finished script left behind.
     *
     * @param stdout        all of stdout, or {@code null} when it was read into the caller's buffer
     * @param stdoutLength  how many bytes the script printed on stdout in all
     * @param stdinRejected the script exited without reading all of its stdin
     */
    record Outcome(ExitStatus status, byte[] stdout, long stdoutLength, String stderr,
                   boolean stdinRejected) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs the script and waits for it.
     *
     * @param stdin  bytes for the script's stdin (position to limit), read during the call only; or
     *               {@code null} for an empty stdin
     * @param output where stdout goes (position onwards, at most its remaining bytes, the rest counted
     *               and dropped); or {@code null} to collect stdout in {@link Outcome#stdout()}
     */
    Outcome run(Path script, String method, List<String> args, ByteBuffer stdin, ByteBuffer output)
            throws NbdException {
        List<String> argv = new ArrayList<>(args.size() + 2);
        argv.add(script.toString());
        argv.add(method);
        argv.addAll(args);
        LOG.debug("calling: {}", argv);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("tmpdir", tmpdir.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, script + ": " + method + ": cannot run the script: " + e.getMessage(), e);
        }
        StdinFeeder feeder = new StdinFeeder(process.getOutputStream(), stdin);
        Thread stdinThread = null;
        try {
            StderrCollector stderr = new StderrCollector(process.getErrorStream());
            Thread stderrThread = Thread.ofVirtual().name("script-stderr").start(stderr);
            if (stdin == null) {
                feeder.run();
            } else {
                stdinThread = Thread.ofVirtual().name("script-stdin").start(feeder);
            }
            byte[] collected = null;
            long length;
            try (InputStream out = process.getInputStream()) {
                if (output == null) {
                    collected = out.readAllBytes();
                    length = collected.length;
                } else {
                    length = readInto(out, output);
                }
            }
            stderrThread.join();
            int code = process.waitFor();
            LOG.debug("completed: {} {}: status {}", script, method, code);
            awaitQuietly(stdinThread);
            return new Outcome(ExitStatus.of(code), collected, length, stderr.text(), feeder.rejected());
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, script + ": " + method + ": reading from the script failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.EIO, script + ": " + method + ": interrupted while waiting for the script", e);
        } finally {
            process.destroyForcibly();
            // The caller owns the stdin buffer again once we return, so the feeder must be done with it.
            awaitQuietly(stdinThread);
        }
    }

    /** Waits for a thread that a dead or finished process will end soon, keeping any interrupt for later. */
    private static void awaitQuietly(Thread thread) {
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long readInto(InputStream in, ByteBuffer output) throws IOException {
        ByteBuffer target = output.duplicate();
        ReadableByteChannel channel = Channels.newChannel(in);
        long total = 0;
        int n;
        while (target.hasRemaining() && (n = channel.read(target)) >= 0) {
            total += n;
        }
        // The script must be drained to its end or it would block on a full pipe.
        byte[] excess = new byte[8192];
        while ((n = in.read(excess)) >= 0) {
            total += n;
        }
        return total;
    }

    /** Collects stderr up to {@link #STDERR_KEPT} bytes and discards the rest. */
    private static final class StderrCollector implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        StderrCollector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    int keep = Math.min(n, STDERR_KEPT - kept.size());
                    kept.write(chunk, 0, keep);
                }
            } catch (IOException e) {
                LOG.debug("reading a script's stderr failed: {}", e.toString());
            }
        }

        /** Valid once the thread running this has ended. */
        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes the request data to stdin and closes it; a script that closed stdin early is noted. */
    private static final class StdinFeeder implements Runnable {
        private final OutputStream out;
        private final ByteBuffer data;
        private volatile boolean rejected;

        StdinFeeder(OutputStream out, ByteBuffer data) {
            this.out = out;
            this.data = data == null ? null : data.duplicate();
        }

        @Override
        public void run() {
            try (out) {
                if (data != null) {
                    WritableByteChannel channel = Channels.newChannel(out);
                    while (data.hasRemaining()) {
                        channel.write(data);
                    }
                }
            } catch (IOException e) {
                rejected = true;
            }
        }

        boolean rejected() {
            return rejected;
        }
    }
}
