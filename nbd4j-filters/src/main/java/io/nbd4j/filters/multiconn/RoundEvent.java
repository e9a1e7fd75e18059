package io.nbd4j.filters.multiconn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event of one emulated flush round of a group: how many client flushes it answered, how many
 * flushes it replayed and how many of those failed; its duration is the round's. Off unless a recording
 * turns it on (see {@link io.nbd4j.spi.FlightEvents}); loaded only while one does.
 */
@Name(RoundMetrics.EVENT_NAME)
@Label("Multi-conn Flush Round")
@Category({"nbd4j", "multi-conn"})
@Description("One emulated flush round of the multi-conn filter")
@Enabled(false)
@StackTrace(false)
final class RoundEvent extends Event {
    @Label("Group")
    @Description("The export name with multi-conn-exportname=true, else empty")
    String group;

    @Label("Flushes Answered")
    int requests;

    @Label("Flushes Replayed")
    int replayed;

    @Label("Failed Replays")
    int failed;
}
