package io.nbd4j.server.metrics;

import io.nbd4j.protocol.Command;
import io.nbd4j.spi.Metrics;
import io.nbd4j.spi.NbdError;

import java.util.Locale;

/**
 * The request metrics of one connection: the children for its export and each operation, found once
 * when the connection enters transmission, so that recording a request only adds to lock-free
 * counters and a histogram. Operations are the NBD commands in lower case ({@code read},
 * {@code write_zeroes}, {@code block_status}); a refused request of a type the protocol does not know
 * counts as {@code other}.
 *
 * <p><b>Threads.</b> Any request thread of the connection; keeps no per-request state.
 */
public final class RequestMetrics {
    private static final int TYPES = Command.BLOCK_STATUS + 1;
    private static final String OTHER = "other";

    private final String export;
    private final Metrics.Counter errors;
    private final Metrics.Counter[] requests = new Metrics.Counter[TYPES + 1];
    private final Metrics.Counter[] bytes = new Metrics.Counter[TYPES + 1];
    private final Metrics.Timer[] durations = new Metrics.Timer[TYPES + 1];

    RequestMetrics(String export, Metrics.Counter requests, Metrics.Counter bytes, Metrics.Counter errors,
                   Metrics.Timer durations) {
        this.export = export;
        this.errors = errors;
        for (int type = 0; type <= TYPES; type++) {
            String operation = operation(type);
            this.requests[type] = requests.labels(export, operation);
            this.bytes[type] = bytes.labels(export, operation);
            this.durations[type] = durations.labels(export, operation);
        }
    }

    /** The label of a command type; every unknown type is {@code other}. */
    public static String operation(int type) {
        return type >= 0 && type < TYPES && type != Command.DISC ? Command.name(type).toLowerCase(Locale.ROOT) : OTHER;
    }

    private static int slot(int type) {
        return type >= 0 && type < TYPES ? type : TYPES;
    }

    /** A request that ran and replied, {@code wireError} 0 on success. */
    public void completed(int type, long length, long nanos, int wireError) {
        int slot = slot(type);
        requests[slot].inc();
        bytes[slot].add(length);
        durations[slot].recordNanos(nanos);
        if (wireError != 0) {
            failed(slot, wireError);
        }
    }

    /**
     * A request answered with {@code wireError} without running (bad range, unadvertised flag, shutting
     * down). Its length is not counted: the client may have named any number.
     */
    public void refused(int type, int wireError) {
        int slot = slot(type);
        requests[slot].inc();
        failed(slot, wireError);
    }

    private void failed(int slot, int wireError) {
        errors.labels(export, operation(slot), errorName(wireError)).inc();
    }

    /** The errno name of an error value the server sent. */
    public static String errorName(int wireError) {
        return NbdError.fromWire(wireError).name();   // the server sends only values the protocol names
    }
}
