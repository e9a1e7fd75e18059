package io.nbd4j.dist;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs a bash script with a deadline, as a user would type it, and returns what it printed. Output goes to
 * files, not pipes, so a server left running in the background cannot hold the test up. {@code /usr/bin}
 * leads PATH (libnbd's Python module is installed for the system Python only). Stateless.
 */
final class Shell {
    private Shell() {}

    record Result(String script, int status, String stdout, String stderr) {
        Result ok() {
            if (status != 0) {
                fail(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return "script [" + script + "] exited with " + status
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    static Result run(String script, Map<String, String> environment) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("nbd4j-dist-out", ".txt");
            err = Files.createTempFile("nbd4j-dist-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out: " + script + "\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(script, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + script, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    static Result run(String script) {
        return run(script, Map.of());
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file left behind harms nothing.
            }
        }
    }
}
