package io.nbd4j.filters.common;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * Runs a shell snippet the way nbdkit's filters run theirs with {@code system(3)}: {@code SHELL -c
 * SNIPPET}, stdin from {@code /dev/null}, stderr shared with the server, and the exit status returned;
 * without the {@code LISTEN_*} variables of socket activation, which were meant for the server.
 * Stdout is copied to {@link System#out} rather than inherited, because with {@code -s} the server's
 * own stdout carries the NBD connection (the server then points {@code System.out} at stderr).
 * The copy runs on a virtual thread of its own, so a snippet that leaves a background process
 * holding stdout does not hold up the caller, who waits for the shell only.
 *
 * <p><b>Threads.</b> Stateless; any number of callers at once, each with its own process.
 */
public final class ShellCommand {
    /** The shell nbdkit's {@code system(3)} runs. */
    public static final String SH = "/bin/sh";
    /** What nbdkit's log filter runs its script with (its {@code extents=(...)} variables are bash arrays). */
    public static final String BASH = "/bin/bash";

    private ShellCommand() {}

    /** Runs {@code snippet} with {@code shell} and returns its exit status (128 + N when killed by signal N). */
    public static int run(String shell, String snippet) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(shell, "-c", snippet))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // socket activation was meant for the server (nbdkit unsets these at start)
        builder.environment().keySet().removeIf(name -> name.startsWith("LISTEN_"));
        Process process = builder.start();
        PrintStream out = System.out;
        Thread.ofVirtual().name("shell-stdout").start(() -> copy(process.getInputStream(), out));
        return process.waitFor();
    }

    private static void copy(InputStream from, PrintStream to) {
        byte[] chunk = new byte[4096];
        try (from) {
            int n;
            while ((n = from.read(chunk)) >= 0) {
                to.write(chunk, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the snippet's stdout went away with it: nothing more to copy
        }
    }
}
