package io.nbd4j.plugins.curl;

import io.nbd4j.spi.ConfigException;

import java.net.URI;
import java.io.IOException;
import java.net.Proxy;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headers every request carries, from {@code header=}, {@code cookie=} and {@code user-agent=},
 * in curl's syntax: {@code 'Name: value'} adds a header, {@code 'Name:'} drops one the plugin would
 * send (the cookie, the user agent), {@code 'Name;'} sends one with an empty value. Immutable.
 */
record RequestHeaders(List<RequestHeaders.Header> pairs) {
    /** One header line. */
    record Header(String name, String value) {}

    static RequestHeaders parse(List<String> headerParameters, String cookie, String userAgent) throws ConfigException {
        List<Header> added = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String header : headerParameters) {
            int colon = header.indexOf(':');
            String name;
            String value;
            if (colon > 0) {
                name = header.substring(0, colon).strip();
                value = header.substring(colon + 1).strip();
                if (value.isEmpty()) {
                    dropped.add(name.toLowerCase(Locale.ROOT));
                    continue;
                }
            } else if (header.endsWith(";") && header.length() > 1) {
                name = header.substring(0, header.length() - 1).strip();
                value = "";
            } else {
                throw new ConfigException("curl: header: expected 'Name: value', 'Name:' or 'Name;', not '" + header + "'");
            }
            added.add(new Header(name, value));
        }
        if (cookie != null && !dropped.contains("cookie")) {
            added.add(new Header("Cookie", cookie));
        }
        if (dropped.contains("user-agent")) {
            // The JDK adds a User-Agent of its own unless one is set; an empty one is the nearest to none.
            added.add(new Header("User-Agent", ""));
        } else if (userAgent != null) {
            added.add(new Header("User-Agent", userAgent));
        }
        RequestHeaders headers = new RequestHeaders(List.copyOf(added));
        headers.check();
        return headers;
    }

    /**
     * The JDK silently drops some headers (Host, Connection, Content-Length …) and refuses malformed ones;
     * say so at start, not by sending something else. Nothing is sent: an unconnected connection is asked.
     */
    private void check() throws ConfigException {
        try {
            URLConnection probe = URI.create("http://localhost/").toURL().openConnection(Proxy.NO_PROXY);
            for (Header pair : pairs) {
                probe.setRequestProperty(pair.name(), pair.value());
                if (!probe.getRequestProperties().containsKey(pair.name())) {
                    throw new ConfigException("curl: header '" + pair.name() + "' cannot be set: the JDK manages it");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("curl: header: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("curl: cannot check the headers: " + e.getMessage(), e);
        }
    }

    void addTo(URLConnection connection) {
        for (Header pair : pairs) {
            connection.setRequestProperty(pair.name(), pair.value());
        }
    }
}
