/**
 * The {@code curl} plugin: a read-only disk image on an HTTP or HTTPS server.
 *
 * <p>Parameters (nbdkit's names): {@code [url=]URL} (the magic key; credentials in the URL become
 * {@code user=}/{@code password=}); {@code header='Name: value'} (repeatable; {@code 'Name:'} drops a
 * header the plugin would send, {@code 'Name;'} sends an empty one); {@code cookie=};
 * {@code user=}/{@code password=} for HTTP Basic authentication, the password (and the cookie) in
 * nbdkit's forms: the value, {@code -} (asked on the terminal), {@code +FILE}, {@code -FD};
 * {@code sslverify=}, {@code cainfo=FILE} (a PEM bundle; empty: not the JDK's trust store),
 * {@code capath=DIR}; {@code timeout=SECS}; {@code connections=N} (requests in flight, default 4);
 * {@code followlocation=}; {@code user-agent=}; {@code proxy=http://HOST:PORT} with
 * {@code proxy-user=}/{@code proxy-password=}; {@code protocols=http,https}.
 *
 * <p>Behaviour: when a client connects, a HEAD gives the size (with {@code Accept-Ranges: bytes}; without
 * it, or when the server refuses HEAD with 405 or 501, a one-byte ranged GET must come back right, and
 * its {@code Content-Range} total is the size).
 * Reads are ranged GETs through the JDK's blocking {@code HttpURLConnection} (keep-alive connections,
 * one virtual thread each); reads longer than 4 MiB go out as several GETs at once. Every answer is
 * checked before its bytes are used: status 206, a {@code Content-Range} naming exactly the bytes asked
 * for, a body of exactly that length; anything else (the whole file with 200, another range, a short or
 * long body, a reset) fails the read with EIO and a log line naming the request and what was wrong.
 * Redirects are followed by the plugin (at most 20), each hop checked against {@code protocols=}, and
 * the Basic credentials are sent only to the URL's own scheme, host and port. Thread model PARALLEL,
 * read-only, multi-conn; no cache requests (nothing lies below to warm).
 *
 * <p>Beyond nbdkit 1.32: the checks above (nbdkit uses whatever body arrives); {@code connections=}
 * (nbdkit 1.34's pool, shared by every client) in an nbdkit 1.32 command line.
 *
 * <p>Limits: HTTP/1.1 only; read-only (no PUT); {@code timeout=} bounds connecting and each wait for
 * data, not the whole transfer; the JDK always sends a {@code User-Agent}. Refused at start, each with
 * its reason: {@code cookiefile=}, {@code cookiejar=}, {@code cookie-script=}, {@code header-script=}
 * (and their {@code -renew}), {@code ssl-version=}, {@code ssl-cipher-list=}, {@code tls13-ciphers=},
 * {@code unix-socket-path=}, {@code tcp-nodelay=false}, {@code tcp-keepalive=true}, non-HTTP URLs.
 */
package io.nbd4j.plugins.curl;
