package io.nbd4j.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of NBD commands spread over numbered connections, run one at a time (each waits for its reply)
 * by {@code drive-connections.py} in one {@code nbdsh} process. Reads print {@code N:r:BLOCK=C}, where C is
 * the letter the block is filled with or {@code 0} for zeroes; see the driver for every step. Blocks are
 * 4 KiB. Built and used by one test thread.
 */
final class ConnectionSteps {
    private final List<String> steps = new ArrayList<>();

    /** Opens each connection on the default export. */
    ConnectionSteps open(int... connections) {
        for (int c : connections) {
            steps.add(c + ":o");
        }
        return this;
    }

    /** Opens a connection on {@code export}, chosen in option mode. */
    ConnectionSteps open(int connection, String export) {
        return add(connection + ":o:" + export);
    }

    /** Tries to open a connection; prints {@code N:O=ok} or {@code N:O=refused}. */
    ConnectionSteps tryOpen(int connection) {
        return add(connection + ":O");
    }

    ConnectionSteps write(int connection, int block, char fill) {
        return add(connection + ":w:" + block + ":" + fill);
    }

    ConnectionSteps fuaWrite(int connection, int block, char fill) {
        return add(connection + ":W:" + block + ":" + fill);
    }

    ConnectionSteps read(int connection, int block) {
        return add(connection + ":r:" + block);
    }

    ConnectionSteps flush(int connection) {
        return add(connection + ":f");
    }

    /** Flushes, printing {@code N:F=ok} or {@code N:F=failed} instead of stopping at an error. */
    ConnectionSteps tryFlush(int connection) {
        return add(connection + ":F");
    }

    /** Prints {@code N:mc=True} or {@code N:mc=False}: whether the server advertised multi-conn. */
    ConnectionSteps multiConn(int connection) {
        return add(connection + ":mc");
    }

    /** The captive command that runs these steps against {@code $uri} with {@code driver}. */
    String runCommand(Path driver) {
        // $uri is a plain shell variable in a --run command; nbdsh sees it only once it is exported.
        return "export uri; steps='" + this + "' nbdsh -n -c " + StaleCachePlugin.execFile(driver);
    }

    private ConnectionSteps add(String step) {
        if (!step.matches("[0-9A-Za-z:]+")) {
            throw new IllegalArgumentException("a step is letters, digits and colons: " + step);
        }
        steps.add(step);
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", steps);
    }
}
