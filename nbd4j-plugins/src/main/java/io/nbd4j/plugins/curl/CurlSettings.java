package io.nbd4j.plugins.curl;

import io.nbd4j.plugins.common.Secrets;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The curl plugin's parameters, declared once (for routing and {@code --help}) with nbdkit's names,
 * parsed as they arrive and settled into a {@link CurlConfig} at the end. Parameters nbdkit has that
 * the JDK's HTTP clients cannot honour are declared too, so that using one fails at start with the
 * reason rather than as an unknown key.
 *
 * <p>Threads: the main thread only, during configuration.
 */
final class CurlSettings {
    static final Parameter URL = new Parameter("url", "URL", "The disk image: http:// or https:// (required)");
    static final Parameter HEADER = new Parameter("header", "'NAME: VALUE'",
            "Send this header with every request (repeatable); 'NAME:' drops one we would send, 'NAME;' sends it empty");
    static final Parameter COOKIE = new Parameter("cookie", "COOKIE|+FILE|-|-FD", "Send this Cookie header with every request");
    static final Parameter USER = new Parameter("user", "NAME", "User name for HTTP Basic authentication");
    static final Parameter PASSWORD = new Parameter("password", "PASSWORD|+FILE|-|-FD",
            "Password for HTTP Basic authentication (- asks on the terminal, +FILE reads a file, -FD a descriptor)");
    static final Parameter SSLVERIFY = new Parameter("sslverify", "true|false", "Check the server's certificate and name (default true)");
    static final Parameter CAINFO = new Parameter("cainfo", "FILE", "Trust the CA certificates in this PEM file instead of the JDK's; empty: none");
    static final Parameter CAPATH = new Parameter("capath", "DIR", "Trust the CA certificates in the PEM files of this directory too");
    static final Parameter TIMEOUT = new Parameter("timeout", "SECS",
            "Fail a request when connecting, or waiting for any part of the answer, takes longer (default 0: no limit)");
    static final Parameter CONNECTIONS = new Parameter("connections", "N", "Requests in flight to the server at most (default 4)");
    static final Parameter FOLLOWLOCATION = new Parameter("followlocation", "true|false", "Follow redirects (default true)");
    static final Parameter USER_AGENT = new Parameter("user-agent", "TEXT", "The User-Agent header (default: the JDK's)");
    static final Parameter PROXY = new Parameter("proxy", "http://HOST:PORT", "Send requests through this HTTP proxy");
    static final Parameter PROXY_USER = new Parameter("proxy-user", "NAME", "User name for the proxy");
    static final Parameter PROXY_PASSWORD = new Parameter("proxy-password", "PASSWORD|+FILE|-|-FD", "Password for the proxy");
    static final Parameter PROTOCOLS = new Parameter("protocols", "PROTO,...",
            "Schemes the URL and redirects may use (default any of http, https)");
    static final Parameter HTTP_VERSION = new Parameter("http-version", "none|1.1",
            "Accepted for nbdkit scripts: requests are always HTTP/1.1 (HTTP/2 and 3 are not offered)");
    static final Parameter TCP_NODELAY = new Parameter("tcp-nodelay", "true", "Accepted as true only: the JDK always disables Nagle");
    static final Parameter TCP_KEEPALIVE = new Parameter("tcp-keepalive", "false", "Accepted as false only: the JDK offers no keepalive option");
    /** nbdkit's parameters that have no counterpart here, each with the reason it is refused. */
    private static final List<Parameter> UNSUPPORTED = List.of(
            unsupported("cookiefile", "no cookie engine is kept between requests"),
            unsupported("cookiejar", "no cookie engine is kept between requests"),
            unsupported("cookie-script", "scripts are not run; use cookie="),
            unsupported("cookie-script-renew", "scripts are not run; use cookie="),
            unsupported("header-script", "scripts are not run; use header="),
            unsupported("header-script-renew", "scripts are not run; use header="),
            unsupported("ssl-version", "the JDK negotiates TLS 1.3 or 1.2 and allows nothing older"),
            unsupported("ssl-cipher-list", "OpenSSL cipher names do not apply to the JDK's TLS"),
            unsupported("tls13-ciphers", "OpenSSL cipher names do not apply to the JDK's TLS"),
            unsupported("unix-socket-path", "the JDK's HTTP clients cannot connect over Unix sockets"));

    static final List<Parameter> ALL = Stream.concat(List.of(URL, HEADER, COOKIE, USER, PASSWORD,
            SSLVERIFY, CAINFO, CAPATH, TIMEOUT, CONNECTIONS, FOLLOWLOCATION, USER_AGENT, PROXY, PROXY_USER,
            PROXY_PASSWORD, PROTOCOLS, HTTP_VERSION, TCP_NODELAY, TCP_KEEPALIVE).stream(),
            UNSUPPORTED.stream()).toList();

    private static Parameter unsupported(String key, String why) {
        return new Parameter(key, "…", "Not supported: " + why);
    }

    private URI url;
    private final List<String> headers = new ArrayList<>();
    private String cookie;
    private String user;
    private String password;
    private boolean sslVerify = true;
    private Path caInfo;
    private boolean noDefaultCas;
    private Path caPath;
    private Duration timeout;
    private int connections = 4;
    private boolean followLocation = true;
    private String userAgent;
    private URI proxy;
    private String proxyUser;
    private String proxyPassword;
    private Set<String> protocols = Set.of("http", "https");

    void config(String key, String value) throws ConfigException {
        switch (key) {
            case "url" -> url = parseUrl(value);
            case "header" -> headers.add(value);
            case "cookie" -> cookie = Secrets.read(key, value);
            case "user" -> user = value;
            case "password" -> password = Secrets.read(key, value);
            case "sslverify" -> sslVerify = Values.parseBool(key, value);
            case "cainfo" -> {
                noDefaultCas = true;
                caInfo = value.isEmpty() ? null : Path.of(value);
            }
            case "capath" -> caPath = Path.of(value);
            case "timeout" -> timeout = parseTimeout(value);
            case "connections" -> connections = parseConnections(value);
            case "followlocation" -> followLocation = Values.parseBool(key, value);
            case "user-agent" -> userAgent = value;
            case "proxy" -> proxy = parseProxy(value);
            case "proxy-user" -> proxyUser = value;
            case "proxy-password" -> proxyPassword = Secrets.read(key, value);
            case "protocols" -> protocols = parseProtocols(value);
            case "http-version" -> Values.parseChoice(key, value, "none", "1.1");
            case "tcp-nodelay" -> requireValue(key, value, true, "the JDK's HTTP client always disables Nagle's algorithm");
            case "tcp-keepalive" -> requireValue(key, value, false, "the JDK's HTTP client has no keepalive option");
            default -> {
                for (Parameter p : UNSUPPORTED) {
                    if (p.matches(key)) {
                        throw new ConfigException("curl: " + key + " is not supported: " + p.help().substring("Not supported: ".length()));
                    }
                }
                throw new ConfigException("curl: unknown parameter '" + key + "'");
            }
        }
    }

    private static void requireValue(String key, String value, boolean only, String why) throws ConfigException {
        if (Values.parseBool(key, value) != only) {
            throw new ConfigException("curl: " + key + "=" + value + " is not supported: " + why);
        }
    }

    private URI parseUrl(String value) throws ConfigException {
        URI parsed;
        try {
            parsed = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException("curl: url: not a valid URL: " + value, e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException("curl: url: only http:// and https:// URLs are supported, not '" + value + "'");
        }
        if (parsed.getHost() == null) {
            throw new ConfigException("curl: url: no host in '" + value + "'");
        }
        String userInfo = parsed.getRawUserInfo();
        if (userInfo == null) {
            return parsed;
        }
        // As curl does, credentials in the URL become user= and password= (which, given too, win).
        int colon = userInfo.indexOf(':');
        if (user == null) {
            user = URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8);
        }
        if (password == null && colon >= 0) {
            password = URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
        }
        try {
            return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(),
                    parsed.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new ConfigException("curl: url: " + e.getMessage(), e);
        }
    }

    private static Duration parseTimeout(String value) throws ConfigException {
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 0) {
                return seconds == 0 ? null : Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("curl: timeout: expected whole seconds from 0 (no limit) up, not '" + value + "'");
    }

    private static int parseConnections(String value) throws ConfigException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("curl: connections: expected 1 to 1024, not '" + value + "'");
    }

    private static URI parseProxy(String value) throws ConfigException {
        String withScheme = value.contains("://") ? value : "http://" + value;
        try {
            URI parsed = new URI(withScheme);
            if (!"http".equalsIgnoreCase(parsed.getScheme()) || parsed.getHost() == null) {
                throw new ConfigException("curl: proxy: only HTTP proxies (http://HOST:PORT) are supported, not '" + value + "'");
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw new ConfigException("curl: proxy: not a valid address: " + value, e);
        }
    }

    private static Set<String> parseProtocols(String value) throws ConfigException {
        Set<String> set = new LinkedHashSet<>();
        for (String word : value.split(",")) {
            String protocol = word.strip().toLowerCase(Locale.ROOT);
            if (!protocol.isEmpty()) {
                set.add(protocol);
            }
        }
        if (set.isEmpty()) {
            throw new ConfigException("curl: protocols: expected a comma-separated list such as http,https");
        }
        return Set.copyOf(set);
    }

    /** Checks the parameters together and settles the defaults; call once, after the last {@link #config}. */
    CurlConfig resolve() throws ConfigException {
        if (url == null) {
            throw new ConfigException("curl: the url parameter is required (e.g. curl https://example.com/disk.img)");
        }
        if (!protocols.contains(url.getScheme().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("curl: the URL's scheme '" + url.getScheme() + "' is not among protocols=" + String.join(",", protocols));
        }
        if (password != null && user == null) {
            throw new ConfigException("curl: password= needs user=");
        }
        if ((proxyUser != null || proxyPassword != null) && proxy == null) {
            throw new ConfigException("curl: proxy-user= and proxy-password= need proxy=");
        }
        return new CurlConfig(url, RequestHeaders.parse(headers, cookie, userAgent), user, password == null ? "" : password,
                new TrustSettings(sslVerify, noDefaultCas, caInfo, caPath), timeout, connections,
                followLocation, proxy, proxyUser, proxyPassword == null ? "" : proxyPassword, protocols);
    }
}
