package io.nbd4j.filters.exitwhen;

import io.nbd4j.filters.common.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code exit-when-script=}: a shell command (run by {@code /bin/sh}, as nbdkit's {@code system(3)}
 * does) that exits with 88 when the event has happened and 0 when not; anything else is logged as an
 * error and counts as not yet.
 *
 * @param script the command
 */
record ScriptEvent(String script) implements Event {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptEvent.class);
    static final int HAPPENED = 88;

    @Override
    public boolean happened() {
        int status;
        try {
            status = ShellCommand.run(ShellCommand.SH, script);
        } catch (IOException e) {
            LOG.error("exit-when-script: cannot run '{}': {}", script, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (status != 0 && status != HAPPENED) {
            LOG.error("exit-when-script: '{}' exited with status {} (0: not yet, 88: exit)", script, status);
        }
        return status == HAPPENED;
    }

    @Override
    public String describe() {
        return "exit-when-script=" + script;
    }
}
