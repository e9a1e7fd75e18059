package io.nbd4j.filters.log;

import io.nbd4j.filters.common.ShellCommand;

import java.io.IOException;

/**
 * The {@code logscript=}: run once per entry with bash (as nbdkit runs it), after shell assignments of
 * {@code $act}, {@code $connection} (for events of a connection), {@code $type} ({@code ENTER},
 * {@code LEAVE} or {@code PRINT}), {@code $id} (for calls) and one variable per field ({@code $offset},
 * {@code $count}, {@code $return}, {@code $error}, and bash arrays such as {@code $extents}). Its exit
 * status is ignored: a script cannot change or stop a request.
 *
 * <p><b>Threads.</b> Stateless; each entry runs its own process on the caller's thread, as many at
 * once as there are callers.
 */
final class LogScript {
    private final String script;

    LogScript(String script) {
        this.script = script;
    }

    static String program(Entry e, String script) {
        StringBuilder b = new StringBuilder(script.length() + 128).append("act=").append(e.action()).append('\n');
        if (e.connection() != 0) {
            b.append("connection=").append(e.connection()).append('\n');
        }
        b.append("type=").append(e.type()).append('\n');
        if (e.id() != 0) {
            b.append("id=").append(e.id()).append('\n');
        }
        return b.append(e.fields()).append('\n').append(script).toString();
    }

    void run(Entry entry) throws IOException {
        try {
            ShellCommand.run(ShellCommand.BASH, program(entry, script));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running the log script", e);
        }
    }
}
