package io.nbd4j.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An NBD URI in the forms this client connects to: {@code nbd://host[:port][/export]},
 * {@code nbd+unix:///[export]?socket=PATH}, and their TLS twins {@code nbds://…} and
 * {@code nbds+unix://…}, which require TLS. Immutable.
 *
 * @param tls whether the scheme requires TLS
 */
public record NbdUri(NbdAddress address, String exportName, boolean tls) {
    private static final String ACCEPTED = "nbd://host[:port][/export], nbd+unix:///[export]?socket=PATH,"
            + " nbds://host[:port][/export], nbds+unix:///[export]?socket=PATH";

    public NbdUri(NbdAddress address, String exportName) {
        this(address, exportName, false);
    }

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException naming the accepted forms if {@code uri} is not one of them
     */
    public static NbdUri parse(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + uri, e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme();
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        String exportName = path.startsWith("/") ? path.substring(1) : path;
        return switch (scheme) {
            case "nbd", "nbds" -> new NbdUri(tcpAddress(parsed, uri), exportName, scheme.equals("nbds"));
            case "nbd+unix", "nbds+unix" -> new NbdUri(NbdAddress.unix(Path.of(socketParameter(parsed, uri))),
                    exportName, scheme.equals("nbds+unix"));
            default -> throw new IllegalArgumentException("unsupported NBD URI scheme '" + scheme
                    + "'; accepted: " + ACCEPTED);
        };
    }

    private static NbdAddress tcpAddress(URI parsed, String uri) {
        String host = parsed.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(parsed.getScheme() + ":// URI needs a host: " + uri);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = parsed.getPort() == -1 ? NbdAddress.DEFAULT_PORT : parsed.getPort();
        return NbdAddress.tcp(host, port);
    }

    private static String socketParameter(URI parsed, String uri) {
        String query = parsed.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals("socket")) {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalArgumentException(parsed.getScheme() + " URI needs a socket=PATH query parameter: " + uri);
    }
}
