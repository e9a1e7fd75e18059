package io.nbd4j.server.transmission;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event of one NBD request: from the moment it starts to run to its reply written (the
 * event's duration), with what was asked and how it ended. Off unless a recording turns it on (see
 * {@link io.nbd4j.spi.FlightEvents}); loaded only while one does.
 */
@Name(ObservedRequests.EVENT_NAME)
@Label("NBD Request")
@Category({"nbd4j"})
@Description("One NBD request, from starting to run to its reply written")
@Enabled(false)
@StackTrace(false)
final class RequestEvent extends Event {
    @Label("Operation")
    String operation;

    @Label("Export")
    String export;

    @Label("Connection")
    long connection;

    @Label("Offset")
    long offset;

    @Label("Length")
    @DataAmount
    long length;

    @Label("Flags")
    @Description("The request's NBD command flags (FUA 0x1, NO_HOLE 0x2, DF 0x4, REQ_ONE 0x8, FAST_ZERO 0x10)")
    int flags;

    @Label("Error")
    @Description("The errno name sent to the client, or null on success")
    String error;
}
