package io.nbd4j.server.transmission;

import io.nbd4j.protocol.ServerRequestHeader;
import io.nbd4j.server.metrics.RequestMetrics;
import io.nbd4j.spi.FlightEvents;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one place where a connection's requests are watched as they complete: each runs through the
 * {@link RequestRunner}, and its outcome goes to the metrics (when the server has them) and to a JFR
 * {@link RequestEvent} (while a recording wants it). With neither, a request costs one volatile read
 * more than the runner alone: no clock, no allocation.
 *
 * <p><b>Threads.</b> Called concurrently by the request threads of one connection, and by its reader
 * for refused requests; keeps no per-request state in fields.
 */
public final class ObservedRequests {
    /** The JFR name of {@link RequestEvent}, kept here so that naming it does not load the event class. */
    public static final String EVENT_NAME = "io.nbd4j.Request";

    private final RequestRunner runner;
    private final RequestMetrics metrics;
    private final long connectionId;
    private final String export;

    /** {@code metrics} null: the server has none. */
    ObservedRequests(RequestRunner runner, RequestMetrics metrics, long connectionId, String export) {
        this.runner = runner;
        this.metrics = metrics;
        this.connectionId = connectionId;
        this.export = export;
    }

    /** Runs the request, as {@link RequestRunner#run} does, and records how it went. */
    void run(ServerRequestHeader r, ByteBuffer payload) throws IOException {
        if (FlightEvents.isRecording()) {
            runRecorded(r, payload);
            return;
        }
        if (metrics == null) {
            runner.run(r, payload);
            return;
        }
        long start = System.nanoTime();
        int error = runner.run(r, payload);
        metrics.completed(r.type(), r.length(), System.nanoTime() - start, error);
    }

    private void runRecorded(ServerRequestHeader r, ByteBuffer payload) throws IOException {
        RequestEvent event = new RequestEvent();
        event.begin();
        long start = System.nanoTime();
        int error = runner.run(r, payload);
        if (metrics != null) {
            metrics.completed(r.type(), r.length(), System.nanoTime() - start, error);
        }
        event.end();
        commit(event, r, error);
    }

    /**
     * Begins the request, as {@link RequestRunner#start} does, recording how it went once it is over
     * (on the thread that completes it); returns false, recording nothing, when it did not begin.
     */
    boolean start(ServerRequestHeader r, ByteBuffer payload, RequestRunner.Finished finished) {
        RequestEvent event = FlightEvents.isRecording() ? new RequestEvent() : null;
        if (event == null && metrics == null) {
            return runner.start(r, payload, finished);
        }
        if (event != null) {
            event.begin();
        }
        long start = System.nanoTime();
        return runner.start(r, payload, (error, replyFailure) -> {
            if (metrics != null) {
                metrics.completed(r.type(), r.length(), System.nanoTime() - start, error);
            }
            if (event != null) {
                event.end();
                commit(event, r, error);
            }
            finished.finished(error, replyFailure);
        });
    }

    /** As {@link RequestRunner#mayStart}. */
    boolean mayStart(int type) {
        return runner.mayStart(type);
    }

    /** Records a request answered with {@code wireError} without running. */
    void refused(ServerRequestHeader r, int wireError) {
        if (metrics != null) {
            metrics.refused(r.type(), wireError);
        }
        if (FlightEvents.isRecording()) {
            RequestEvent event = new RequestEvent();
            event.begin();
            commit(event, r, wireError);
        }
    }

    private void commit(RequestEvent event, ServerRequestHeader r, int error) {
        if (event.shouldCommit()) {
            event.operation = RequestMetrics.operation(r.type());
            event.export = export;
            event.connection = connectionId;
            event.offset = r.offset();
            event.length = r.length();
            event.flags = r.flags();
            event.error = error == 0 ? null : RequestMetrics.errorName(error);
            event.commit();
        }
    }
}
