package io.nbd4j.plugins.sh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Calls a method and applies the meaning of its exit status that is the same for every method: an
 * error is thrown as the {@link NbdException} stderr describes, and false (exit 3) from a method that
 * does not return a boolean is an error. What "missing" means is left to the caller.
 *
 * <p>Threads: any; immutable.
 */
final class MethodCaller {
    private final ScriptLocator locator;
    private final ScriptRunner runner;

    MethodCaller(ScriptLocator locator, ScriptRunner runner) {
        this.locator = locator;
        this.runner = runner;
    }

    /** The script that answers {@code method}, for messages. */
    Path scriptFor(String method) {
        return locator.scriptFor(method);
    }

    /** Runs a method whose stdout matters; the outcome is OK, MISSING or FALSE, never ERROR. */
    ScriptRunner.Outcome call(String method, List<String> args, ByteBuffer stdin, ByteBuffer output)
            throws NbdException {
        Path script = locator.scriptFor(method);
        ScriptRunner.Outcome outcome = runner.run(script, method, args, stdin, output);
        if (outcome.status() == ExitStatus.ERROR) {
            throw ScriptErrors.fromStderr(script.toString(), method, outcome.stderr());
        }
        if (outcome.status() == ExitStatus.OK && outcome.stdinRejected()) {
            throw new NbdException(NbdError.EIO, script + ": " + method + ": the script exited without reading all of"
                    + " its stdin (a broken pipe), which usually indicates a bug in the script");
        }
        return outcome;
    }

    /** Runs a method that prints text: its stdout, or {@code null} if the method is missing. */
    String text(String method, String... args) throws NbdException {
        ScriptRunner.Outcome outcome = call(method, List.of(args), null, null);
        return switch (outcome.status()) {
            case OK -> outcome.text();
            case MISSING -> null;
            default -> throw unexpectedFalse(method);
        };
    }

    /** Runs a method for its effect: true if it ran, false if it is missing. */
    boolean action(String method, List<String> args, ByteBuffer stdin) throws NbdException {
        ScriptRunner.Outcome outcome = call(method, args, stdin, null);
        return switch (outcome.status()) {
            case OK -> true;
            case MISSING -> false;
            default -> throw unexpectedFalse(method);
        };
    }

    boolean action(String method, String... args) throws NbdException {
        return action(method, List.of(args), null);
    }

    /** Runs a boolean method: exit 0 is true, 3 false; {@code null} if the method is missing. */
    Boolean bool(String method, String... args) throws NbdException {
        ScriptRunner.Outcome outcome = call(method, List.of(args), null, null);
        return switch (outcome.status()) {
            case OK -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    NbdException unexpectedFalse(String method) {
        return new NbdException(NbdError.EIO, scriptFor(method) + ": " + method + " method returned unexpected code (3/false)");
    }

    /** An error about what the script printed on stdout. */
    NbdException badOutput(String method, String output) {
        return new NbdException(NbdError.EIO, scriptFor(method) + ": could not parse output from " + method + " method: "
                + output.strip());
    }
}
