package io.nbd4j.interop;

import java.util.List;

/**
 * What a finished command left behind: its exit status and everything it printed.
 *
 * @param command  the command line, for failure messages
 * @param exitCode the exit status
 * @param stdout   standard output, decoded as UTF-8
 * @param stderr   standard error, decoded as UTF-8
 */
record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {
    /** The lines of standard error that are not blank. */
    List<String> stderrLines() {
        return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
        return "command " + command + " exited with " + exitCode
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
