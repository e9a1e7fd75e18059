package io.nbd4j.filters.pause;

import io.nbd4j.filters.common.InterceptingHandle;
import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ServerControl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --filter=pause}: holds requests while a controller says so, e.g. for a snapshot of the
 * storage (see the package documentation).
 *
 * <p><b>Threads.</b> Configured and unloaded on the main thread; the {@link Gate} is shared by every
 * connection and the control socket's thread.
 */
public final class PauseFilter implements Filter {
    /** {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MOST_PATH_BYTES = 107;

    private final Gate gate = new Gate();
    private Path control;
    private ControlSocket socket;

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public String description() {
        return "hold requests while a controller asks, through a Unix socket";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("pause-control", "SOCKET", "(required) the Unix socket that takes p (pause) and r (resume)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!key.equals("pause-control")) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        if (value.isEmpty()) {
            throw new ConfigException("pause-control: the socket name must not be empty");
        }
        control = Path.of(value).toAbsolutePath();
    }

    @Override
    public void configComplete() throws ConfigException {
        if (control == null) {
            throw new ConfigException("pause: the pause-control parameter is required (pause-control=SOCKET)");
        }
        int bytes = control.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MOST_PATH_BYTES) {
            throw new ConfigException("pause-control: socket path too long: " + bytes + " bytes, at most " + MOST_PATH_BYTES);
        }
        try {
            socket = new ControlSocket(control, gate);
        } catch (IOException e) {
            throw new ConfigException("pause-control: cannot listen on " + control + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterStart(ServerControl server) {
        socket.start();
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        ClientConnection connection = request.connection();
        return new InterceptingHandle(below.open(request)) {
            /** Flush passes even while paused, as in nbdkit: it changes no data. */
            @Override
            protected void around(Operation operation, long offset, long length, int flags, Below call) throws IOException {
                if (operation == Operation.FLUSH) {
                    call.call();
                    return;
                }
                gate.enter(connection);
                try {
                    call.call();
                } finally {
                    gate.leave();
                }
            }
        };
    }

    @Override
    public void unload() {
        if (socket != null) {
            socket.close();
        }
    }
}
