package io.nbd4j.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An NBD URI in the two forms this client connects to: {@code nbd://host[:port][/export]} and
 * {@code nbd+unix:///[export]?socket=PATH}. Immutable.
 */
public record NbdUri(NbdAddress address, String exportName) {

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
            case "nbd" -> {
                String host = parsed.getHost();
                if (host == null || host.isEmpty()) {
                    throw new IllegalArgumentException("nbd:// URI needs a host: " + uri);
                }
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port = parsed.getPort() == -1 ? NbdAddress.DEFAULT_PORT : parsed.getPort();
                yield new NbdUri(NbdAddress.tcp(host, port), exportName);
            }
            case "nbd+unix" -> new NbdUri(NbdAddress.unix(Path.of(socketParameter(parsed, uri))), exportName);
            default -> throw new IllegalArgumentException("unsupported NBD URI scheme '" + scheme
                    + "'; accepted: nbd://host[:port][/export], nbd+unix:///[export]?socket=PATH");
        };
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
        throw new IllegalArgumentException("nbd+unix URI needs a socket=PATH query parameter: " + uri);
    }
}
