package io.nbd4j.plugins.info;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code info}: a read-only test disk that shows the client something about itself or the server:
 * the export name it asked for, its address, or a clock. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #afterStart} records the server's start
 * time before any connection opens; handles are immutable or read only clocks.
 */
public final class InfoPlugin implements Plugin {
    private static final Parameter MODE = new Parameter("mode",
            "exportname|base64exportname|address|time|uptime|conntime",
            "what the disk holds: the export name (default), the export name decoded from base64, the "
                    + "client's address, the server's clock, its uptime, or the time since the client connected");

    private InfoMode mode = InfoMode.EXPORTNAME;
    private volatile Instant serverStart = Instant.now();

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String description() {
        return "Read-only disk showing the export name, the client's address or a clock";
    }

    @Override
    public String magicConfigKey() {
        return MODE.key();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(MODE);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (MODE.matches(key)) {
            mode = InfoMode.parse(key, value);
        } else {
            Plugin.super.config(key, value);
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void afterStart(ServerControl server) {
        serverStart = server.startedAt();
    }

    @Override
    public Handle open(OpenRequest request) throws NbdException {
        return switch (mode) {
            case EXPORTNAME -> fixed(request.exportName().getBytes(StandardCharsets.UTF_8));
            case BASE64EXPORTNAME -> fixed(decode(request.exportName()));
            case ADDRESS -> fixed(address(request));
            case TIME -> new ClockHandle(ClockHandle.wallClock());
            case UPTIME -> new ClockHandle(ClockHandle.since(serverStart));
            case CONNTIME -> new ClockHandle(ClockHandle.since(request.client().connectedAt()));
        };
    }

    private Handle fixed(byte[] bytes) {
        return new FixedBytesHandle(bytes, mode.sameForEveryConnection());
    }

    /** Strict base64: Java's decoder accepts a missing padding, which nbdkit refuses (and so does its test). */
    private static byte[] decode(String exportName) throws NbdException {
        if (exportName.length() % 4 != 0) {
            throw new NbdException(NbdError.EINVAL, "info: the export name is not valid base64 (its length is not a multiple of 4)");
        }
        try {
            return Base64.getDecoder().decode(exportName);
        } catch (IllegalArgumentException e) {
            throw new NbdException(NbdError.EINVAL, "info: the export name is not valid base64: " + e.getMessage());
        }
    }

    private static byte[] address(OpenRequest request) throws NbdException {
        String text = ClientAddress.describe(request.client());
        if (text == null) {
            throw new NbdException(NbdError.EINVAL, "info: mode=address needs a client on a socket; this one has no address");
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("info_address", "yes", "info_base64", "yes");
    }
}
