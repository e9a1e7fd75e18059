package io.nbd4j.filters.exitwhen;

import io.nbd4j.spi.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code exit-when-process-exits=PID}: the process's {@code /proc/PID/stat} is opened when the filter
 * is configured and read again at each check; once the process has gone (and been reaped) the kernel
 * answers ESRCH through that descriptor even if the number was given to a new process meanwhile, so a
 * reused pid cannot keep the server up (nbdkit watches a process the same way). Linux only.
 *
 * <p><b>Threads.</b> Checks come one at a time (the filter's lock).
 */
final class ProcessEvent implements Event {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessEvent.class);

    private final long pid;
    private final FileChannel stat;

    ProcessEvent(long pid) throws ConfigException {
        this.pid = pid;
        Path path = Path.of("/proc", Long.toString(pid), "stat");
        try {
            this.stat = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ConfigException("exit-when-process-exits: cannot watch process " + pid + " (" + path + ": "
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean happened() {
        try {
            stat.read(ByteBuffer.allocate(1), 0);
            return false;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No such process")) {
                return true;
            }
            LOG.error("exit-when-process-exits: cannot read the state of process {}: {}", pid, e.toString());
            return false;
        }
    }

    @Override
    public String describe() {
        return "exit-when-process-exits=" + pid;
    }

    @Override
    public void close() {
        try {
            stat.close();
        } catch (IOException ignored) {
            // nothing is left to watch either way
        }
    }
}
