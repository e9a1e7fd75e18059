package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FlightEvents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=multi-conn}: advertises, emulates or hides {@code NBD_FLAG_CAN_MULTI_CONN}. See the
 * package documentation for the parameters and {@link Group} for how emulated flushes are made safe.
 *
 * <p><b>Threads.</b> {@link #config} and {@link #configComplete} run on the main thread before any
 * connection; {@link #open} runs on connection threads and only reads the settings fixed by then.
 */
public final class MultiConnFilter implements Filter {
    static final String EXPORT_NAME_KEY = "multi-conn-exportname";
    static final String FLUSH_ON_CLOSE_KEY = "multi-conn-flush-on-close";

    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter(Mode.KEY, "auto|emulate|plugin|unsafe|disable",
                    "advertise multi-conn if the plugin has it or it can be emulated (auto, default), always by "
                            + "replaying flushes (emulate), as the plugin says (plugin), always without "
                            + "replaying (unsafe) or never (disable)"),
            new Parameter(DirtyTracking.KEY, "connection|fast|off",
                    "skip flushes of connections that cannot hold stale data (connection, default), skip all "
                            + "flushes while nothing was written (fast), or skip none (off)"),
            new Parameter(EXPORT_NAME_KEY, "BOOL",
                    "make flushes consistent only among connections to the same export name (default false)",
                    List.of("multi-conn-export-name")),
            new Parameter(FLUSH_ON_CLOSE_KEY, "BOOL",
                    "flush a connection that disconnects with unflushed writes (default false)"));

    private Settings settings = Settings.DEFAULTS;
    private Groups groups = new Groups(false, DirtyTracking.CONNECTION);

    @Override
    public String name() {
        return "multi-conn";
    }

    @Override
    public String description() {
        return "enable, emulate or disable multi-conn flush consistency";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        Settings s = settings;
        settings = switch (key) {
            case Mode.KEY -> new Settings(Mode.parse(key, value), s.tracking(), s.byExportName(), s.flushOnClose());
            case DirtyTracking.KEY ->
                    new Settings(s.mode(), DirtyTracking.parse(key, value), s.byExportName(), s.flushOnClose());
            case EXPORT_NAME_KEY, "multi-conn-export-name" ->
                    new Settings(s.mode(), s.tracking(), Values.parseBool(key, value), s.flushOnClose());
            case FLUSH_ON_CLOSE_KEY ->
                    new Settings(s.mode(), s.tracking(), s.byExportName(), Values.parseBool(key, value));
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        };
    }

    @Override
    public void configComplete() {
        groups = new Groups(settings.byExportName(), settings.tracking());
    }

    @Override
    public void getReady(ThreadModel effective) {
        FlightEvents.declare(RoundMetrics.EVENT_NAME);
    }

    @Override
    public void afterStart(ServerControl server) {
        groups.publishTo(new RoundMetrics(server.metrics()));
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new MultiConnHandle(below.open(request), settings, request, groups);
    }

    Settings settings() {
        return settings;
    }

    Groups groups() {
        return groups;
    }
}
