package io.nbd4j.filters.exitwhen;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --filter=exitwhen}: stops the server gracefully when an outside event happens (see the
 * package documentation).
 *
 * <p><b>Threads.</b> Configured on the main thread; then {@link Watch} is shared by connections and
 * its polling thread.
 */
public final class ExitWhenFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWhenFilter.class);

    private final List<Event> events = new ArrayList<>();
    private Duration poll = Duration.ofSeconds(60);
    private Watch watch;

    @Override
    public String name() {
        return "exitwhen";
    }

    @Override
    public String description() {
        return "stop the server when an outside event happens";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("exit-when-file-created", "FILE", "exit once FILE exists"),
                new Parameter("exit-when-file-deleted", "FILE", "exit once FILE is gone"),
                new Parameter("exit-when-pipe-closed", "FD", "exit once the other end of the pipe inherited as descriptor FD closes",
                        List.of("exit-when-fd-closed")),
                new Parameter("exit-when-process-exits", "PID", "exit once process PID has exited", List.of("exit-when-pid-exits")),
                new Parameter("exit-when-script", "SCRIPT", "exit once the shell command SCRIPT exits with status 88"),
                new Parameter("exit-when-poll", "SECS", "how often to look for events while no client is connected (default 60)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "exit-when-file-created", "exit-when-file-deleted" -> {
                if (value.isEmpty()) {
                    throw new ConfigException(key + ": the file name must not be empty");
                }
                events.add(new FileEvent(Path.of(value).toAbsolutePath(), key.endsWith("created")));
            }
            case "exit-when-pipe-closed", "exit-when-fd-closed" -> events.add(pipe(key, value));
            case "exit-when-process-exits", "exit-when-pid-exits" ->
                    events.add(new ProcessEvent(Values.parseInteger(key, value, 1, Integer.MAX_VALUE)));
            case "exit-when-script" -> events.add(new ScriptEvent(value));
            case "exit-when-poll" -> {
                poll = Values.parseDuration(key, value);
                if (poll.isZero()) {
                    throw new ConfigException(key + ": the interval must be more than 0 seconds");
                }
            }
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    private static Event pipe(String key, String value) throws ConfigException {
        int fd = (int) Values.parseInteger(key, value, 0, Integer.MAX_VALUE);
        try {
            return new PipeEvent(fd);
        } catch (IllegalCallerException | ExceptionInInitializerError e) {
            throw new ConfigException(key + ": watching a descriptor needs native access "
                    + "(--enable-native-access=ALL-UNNAMED, which the nbd4j jar grants): " + e, e);
        }
    }

    @Override
    public void configComplete() {
        watch = new Watch(events, poll);
    }

    /** An event that happened before the server starts stops it at once, as a successful run that serves nothing. */
    @Override
    public void afterStart(ServerControl server) {
        if (watch.happenedAlready()) {
            LOG.info("exitwhen: the event happened before the server started: exiting");
            server.shutdown();
            return;
        }
        watch.startPolling(server);
    }

    @Override
    public void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        if (!watch.admit()) {
            throw new NbdException(NbdError.ESHUTDOWN, "exitwhen: the server is exiting: rejecting new connection");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Next next = below.open(request);
        if (request.probe()) {
            return new FilterHandle(next);
        }
        watch.opened();
        ServerControl server = request.connection().server();
        return new FilterHandle(next) {
            @Override
            public void close() {
                watch.closed(server);
            }
        };
    }

    @Override
    public void unload() {
        if (watch != null) {
            watch.stop();
        }
    }
}
