package io.nbd4j.filters.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Where the log filter's entries go: the file, the script, both, or nowhere. Logging is best effort,
 * as in nbdkit: a failure to write or to run the script is reported (once per kind, not per entry)
 * and never fails the call being logged.
 *
 * <p><b>Threads.</b> Any number of threads at once; see {@link LogFile} and {@link LogScript}.
 */
final class EventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final LogFile file;
    private final LogScript script;
    private volatile boolean fileFailed;
    private volatile boolean scriptFailed;

    /** Either may be null. */
    EventLog(LogFile file, LogScript script) {
        this.file = file;
        this.script = script;
    }

    void enter(long connection, long id, String action, String fields) {
        log(new Entry(connection, id, action, Entry.Type.ENTER, fields));
    }

    void leave(long connection, long id, String action, String fields) {
        log(new Entry(connection, id, action, Entry.Type.LEAVE, fields));
    }

    void print(long connection, String action, String fields) {
        log(new Entry(connection, 0, action, Entry.Type.PRINT, fields));
    }

    private void log(Entry entry) {
        if (file != null) {
            try {
                file.write(entry);
            } catch (IOException e) {
                if (!fileFailed) {
                    fileFailed = true;
                    LOG.error("log: cannot write the log file: {}", e.toString());
                }
            }
        }
        if (script != null) {
            try {
                script.run(entry);
            } catch (IOException e) {
                if (!scriptFailed) {
                    scriptFailed = true;
                    LOG.error("log: cannot run the log script: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.error("log: closing the log file failed: {}", e.toString());
            }
        }
    }
}
