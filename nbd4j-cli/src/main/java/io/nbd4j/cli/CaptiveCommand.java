package io.nbd4j.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --run 'CMD'}: the command runs through {@code /bin/sh} with {@code uri}, {@code nbd},
 * {@code unixsocket}, {@code port}, {@code exportname} (and {@code tls}) set as plain shell variables
 * in front of it — not exported, exactly as nbdkit does, so scripts behave the same under both.
 */
final class CaptiveCommand {
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final String command;

    CaptiveCommand(String command, String uri, String unixSocket, String port, String exportName, String tls) {
        this.command = command;
        variables.put("uri", uri);
        variables.put("nbd", uri);
        variables.put("unixsocket", unixSocket);
        variables.put("port", port);
        variables.put("exportname", exportName);
        variables.put("tls", tls);
    }

    /** The script given to {@code /bin/sh -c}. */
    String script() {
        StringBuilder sb = new StringBuilder();
        variables.forEach((k, v) -> sb.append(k).append('=').append(shellQuote(v)).append('\n'));
        return sb.append(command).toString();
    }

    /** Runs the command with this process's stdin, stdout and stderr, and returns its exit status. */
    int run() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script()).inheritIO().start();
        return p.waitFor();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
