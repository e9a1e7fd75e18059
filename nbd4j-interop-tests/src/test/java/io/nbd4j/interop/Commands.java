package io.nbd4j.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs external programs with a deadline. Output goes to files rather than pipes, so a program that leaves a
 * daemon holding its stdout (a server started without {@code -f}) cannot make us wait for end-of-file, and no
 * pipe can fill up. {@code /usr/bin} comes first on {@code PATH} because the libnbd Python module that
 * {@code nbdsh} needs is installed for the system Python only. Stateless; safe from any thread.
 */
final class Commands {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Commands() {}

    /** A builder for {@code command} with our {@code PATH}, stdin from {@code /dev/null}. */
    static ProcessBuilder builder(List<String> command) {
        requireInstalled(command.getFirst());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", searchPath());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /** Runs {@code command} in {@code workDir} (or the current directory when null); any exit status is returned. */
    static ProcessResult run(Duration timeout, Path workDir, List<String> command) {
        return run(timeout, workDir, Map.of(), command, null);
    }

    /** Like {@link #run(Duration, Path, List)} with more environment variables. */
    static ProcessResult run(Duration timeout, Path workDir, Map<String, String> environment, List<String> command) {
        return run(timeout, workDir, environment, command, null);
    }

    /** Like {@link #run(Duration, Path, List)}, with the file {@code stdin} (when not null) as standard input. */
    static ProcessResult run(Duration timeout, Path workDir, List<String> command, Path stdin) {
        return run(timeout, workDir, Map.of(), command, stdin);
    }

    private static ProcessResult run(Duration timeout, Path workDir, Map<String, String> environment,
                                     List<String> command, Path stdin) {
        ProcessBuilder pb = builder(command);
        pb.environment().putAll(environment);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("interop-out", ".txt");
            err = Files.createTempFile("interop-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p.toHandle());
                fail("timed out after " + timeout + ": " + command
                        + "\n--- stdout ---\n" + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
            }
            return new ProcessResult(command, p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Like {@link #run} but fails the test, showing the output, unless the command exits with status 0. */
    static ProcessResult runOk(Duration timeout, Path workDir, List<String> command) {
        ProcessResult r = run(timeout, workDir, command);
        if (r.exitCode() != 0) {
            fail(r.toString());
        }
        return r;
    }

    static ProcessResult runOk(List<String> command) {
        return runOk(DEFAULT_TIMEOUT, null, command);
    }

    /** Kills a process and everything it started, children first so none is re-parented and missed. */
    static void killTree(ProcessHandle root) {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** A missing client must fail the test loudly: skipping would hide that nothing was tested. */
    static void requireInstalled(String program) {
        if (program.contains("/")) {
            if (!Files.isExecutable(Path.of(program))) {
                fail("required program is missing or not executable: " + program);
            }
            return;
        }
        for (String dir : searchPath().split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail("required program '" + program + "' is not installed (searched PATH=" + searchPath()
                + "); install libnbd-bin, python3-libnbd, qemu-utils, fio, nbdkit and openssl (see ./run-tests)");
    }

    private static String searchPath() {
        String inherited = System.getenv("PATH");
        return inherited == null || inherited.isEmpty() ? "/usr/bin:/bin" : "/usr/bin:" + inherited;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover file in the temporary directory does not change any test's outcome.
        }
    }
}
