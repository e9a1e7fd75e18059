package io.nbd4j.plugins.curl;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code curl}: serves a disk image from a web server, read-only, with the JDK's HTTP client. The size
 * is asked for (HEAD) when each client connects, as nbdkit 1.32 does, so the web server need not be up
 * when the server starts; reads are ranged GETs shared by every client through one HTTP client with at
 * most {@code connections} requests in flight.
 *
 * <p>Threads: configured on the main thread; {@link #open} runs on connection threads at once, and the
 * {@link RemoteDisk} made in {@link #getReady} is shared by all of them.
 */
public final class CurlPlugin implements Plugin {
    private static final String KEEP_ALIVE_PROPERTY = "http.maxConnections";
    private static final int DEFAULT_KEPT_CONNECTIONS = 5;

    private final CurlSettings parameters = new CurlSettings();
    private CurlConfig config;
    private RemoteDisk disk;

    @Override
    public String name() {
        return "curl";
    }

    @Override
    public String description() {
        return "read-only disk image from an HTTP or HTTPS server (ranged GETs, checked)";
    }

    @Override
    public String magicConfigKey() {
        return CurlSettings.URL.key();
    }

    @Override
    public List<Parameter> parameters() {
        return CurlSettings.ALL;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        parameters.config(key, value);
    }

    @Override
    public void configComplete() throws ConfigException {
        config = parameters.resolve();
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    /**
     * The JDK keeps at most {@code http.maxConnections} (default 5) idle connections per server for
     * reuse; more allowed in flight than kept would mean a new connection for many requests.
     */
    @Override
    public void getReady(ThreadModel effective) throws ConfigException {
        if (System.getProperty(KEEP_ALIVE_PROPERTY) == null && config.connections() > DEFAULT_KEPT_CONNECTIONS) {
            System.setProperty(KEEP_ALIVE_PROPERTY, Integer.toString(config.connections()));
        }
        disk = new RemoteDisk(config);
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        try {
            return new CurlHandle(disk, disk.size());
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, "curl: cannot open " + config.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unload() {
        if (disk != null) {
            disk.close();
        }
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("curl_version", "JDK " + Runtime.version().feature() + " HttpURLConnection");
    }
}
