package io.nbd4j.plugins.common;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One run of an external program that a plugin needs (mkfs, mke2fs, du, xorriso): standard input is
 * {@code /dev/null}; standard output goes to a file, is kept, or is dropped; standard error is kept
 * (its last {@value #OUTPUT_LIMIT} bytes) so that a failure can say what the program said. A program
 * that cannot be started or exits non-zero is an {@link NbdException} ({@link NbdError#EIO}) naming
 * it, its exit status and its message.
 *
 * <p>Programs are looked for on {@code PATH} and then in {@code /usr/sbin} and {@code /sbin}, where
 * Debian keeps {@code mkfs} and {@code mke2fs} but where an ordinary user's {@code PATH} does not look;
 * a shell script is run with those directories added to its {@code PATH} for the same reason.
 *
 * <p>Threads: a builder for one run, used by one thread; {@link #locate} is stateless.
 */
public final class ExternalCommand {
    /** How much of a stream is kept for messages and results. */
    static final int OUTPUT_LIMIT = 4096;
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin");

    private final String what;
    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private ProcessBuilder.Redirect stdout = ProcessBuilder.Redirect.PIPE;

    private ExternalCommand(String what, List<String> command) {
        this.what = what;
        this.command = List.copyOf(command);
    }

    /** {@code program} with {@code arguments}; the program is found as {@link #locate} finds it. */
    public static ExternalCommand program(String program, String... arguments) throws NbdException {
        Path found = locate(program).orElseThrow(() -> new NbdException(NbdError.EIO,
                program + ": not found on PATH, /usr/sbin or /sbin"));
        List<String> argv = new ArrayList<>();
        argv.add(found.toString());
        argv.addAll(List.of(arguments));
        return new ExternalCommand(program, argv);
    }

    /**
     * A shell script run by {@code /bin/sh -c}; {@code what} names it in messages (e.g. {@code command=}).
     * Whatever it runs is found on the extended {@code PATH}.
     */
    public static ExternalCommand shell(String what, String script) {
        ExternalCommand c = new ExternalCommand(what, List.of("/bin/sh", "-c", script));
        c.environment.put("PATH", searchPath());
        return c;
    }

    /** Adds environment variables (they replace inherited ones of the same name). */
    public ExternalCommand environment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    /** Sends standard output to {@code file}, replacing what it held. */
    public ExternalCommand stdoutTo(Path file) {
        stdout = ProcessBuilder.Redirect.to(file.toFile());
        return this;
    }

    /** Drops standard output (it is not kept for messages either). */
    public ExternalCommand discardStdout() {
        stdout = ProcessBuilder.Redirect.DISCARD;
        return this;
    }

    /**
     * Runs the program to its end.
     *
     * @return the last {@value #OUTPUT_LIMIT} bytes of standard output when it was neither redirected
     *     nor dropped, else the empty string
     * @throws NbdException {@link NbdError#EIO} when the program fails, {@link NbdError#ESHUTDOWN} when
     *     the thread is interrupted meanwhile (the program is then killed)
     */
    public String run() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout);
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, what + ": cannot be started: " + e.getMessage(), e);
        }
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> tailOf(process.getErrorStream()),
                Thread::startVirtualThread);
        String output = tailOf(process.getInputStream());
        int status;
        String message;
        try {
            status = process.waitFor();
            message = errors.get().strip();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.ESHUTDOWN, what + ": interrupted while running", e);
        } catch (ExecutionException e) {
            throw new NbdException(NbdError.EIO, what + ": could not read its messages: " + e.getCause(), e);
        }
        if (status != 0) {
            throw new NbdException(NbdError.EIO, what + " failed with exit status " + status
                    + (message.isEmpty() ? "" : ": " + message));
        }
        return output;
    }

    /**
     * Where {@code program} is: itself when it holds a {@code /}, else the first executable of that
     * name in the {@code PATH} directories, {@code /usr/sbin} and {@code /sbin}.
     */
    public static Optional<Path> locate(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : searchPath().split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code $PATH} with the system directories appended when it lacks them. */
    private static String searchPath() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null || path.isEmpty() ? List.of("/usr/bin", "/bin")
                : List.of(path.split(File.pathSeparator)));
        for (String dir : SYSTEM_DIRECTORIES) {
            if (!dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        return String.join(File.pathSeparator, dirs);
    }

    /** Reads the stream to its end, keeping the last {@link #OUTPUT_LIMIT} bytes. */
    private static String tailOf(InputStream in) {
        byte[] kept = new byte[0];
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                byte[] joined = new byte[Math.min(OUTPUT_LIMIT, kept.length + n)];
                int fromChunk = Math.min(n, joined.length);
                int fromKept = joined.length - fromChunk;
                System.arraycopy(kept, kept.length - fromKept, joined, 0, fromKept);
                System.arraycopy(chunk, n - fromChunk, joined, fromKept, fromChunk);
                kept = joined;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(kept, Charset.defaultCharset());
    }

    /** Quotes {@code s} for a POSIX shell, so that it stays one word whatever it holds. */
    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
