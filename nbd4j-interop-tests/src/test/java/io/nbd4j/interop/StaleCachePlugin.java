package io.nbd4j.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The multi-conn tests' server: the {@code sh} plugin running {@code stale-cache-plugin.sh}, a plugin whose
 * connections each keep a private block cache (so a missing flush shows as a stale read), under whatever
 * filters a test names, in captive mode ({@code --run}) so that files the stats filter writes at exit are
 * complete when the run returns. The clients are Python programs run by {@code nbdsh}. The script and
 * drivers are copied from the test resources into the test's own directory, because the script must be
 * executable. Used by one test thread.
 */
final class StaleCachePlugin {
    private static final String RESOURCES = "multiconn/";

    private final Path script;
    private final Path connectionDriver;
    private final Path stormDriver;

    private StaleCachePlugin(Path script, Path connectionDriver, Path stormDriver) {
        this.script = script;
        this.connectionDriver = connectionDriver;
        this.stormDriver = stormDriver;
    }

    /** Copies the plugin script and the client drivers into {@code dir}. */
    static StaleCachePlugin installIn(Path dir) {
        Path script = copy("stale-cache-plugin.sh", dir);
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("r-x------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + script + " executable", e);
        }
        return new StaleCachePlugin(script, copy("drive-connections.py", dir), copy("flush-storm.py", dir));
    }

    /**
     * Runs the server with {@code serverWords} and the plugin, with {@code steps} as the captive command, and
     * returns the lines the steps printed. Fails the test, showing all output, if anything exits non-zero.
     * Words starting with {@code -} (options such as {@code --filter=stats}) go before the plugin, the
     * {@code key=value} parameters after it, as nbdkit users write them.
     */
    List<String> run(Server server, List<String> serverWords, ConnectionSteps steps) {
        ProcessResult r = runAllowingFailure(server, serverWords, steps.runCommand(connectionDriver));
        if (r.exitCode() != 0) {
            fail(server + " with " + serverWords + " and steps [" + steps + "] failed: " + r);
        }
        return r.stdout().lines().toList();
    }

    /** Runs four threads writing and flushing concurrently for {@code rounds} rounds each; see flush-storm.py. */
    ProcessResult runFlushStorm(Server server, List<String> serverWords, int rounds) {
        String command = "export uri; rounds=" + rounds + " nbdsh -n -c " + execFile(stormDriver);
        return runAllowingFailure(server, serverWords, command);
    }

    /** The server's command line: options, then the plugin and its script, then the parameters. */
    private List<String> arguments(List<String> serverWords) {
        List<String> args = new ArrayList<>();
        serverWords.stream().filter(w -> w.startsWith("-")).forEach(args::add);
        args.add("sh");
        args.add(script.toString());
        serverWords.stream().filter(w -> !w.startsWith("-")).forEach(args::add);
        return args;
    }

    private ProcessResult runAllowingFailure(Server server, List<String> serverWords, String command) {
        return ServerProcess.captive(server, arguments(serverWords), command);
    }

    /** A shell word that makes nbdsh run a Python file (its path holds no quotes: it is our temp dir). */
    static String execFile(Path python) {
        return "\"exec(open('" + python + "').read())\"";
    }

    private static Path copy(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = StaleCachePlugin.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                fail("test resource missing: " + RESOURCES + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + name + " to " + dir, e);
        }
        return target;
    }
}
