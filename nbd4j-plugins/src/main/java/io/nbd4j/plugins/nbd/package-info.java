/**
 * The {@code nbd} plugin: a proxy in front of another NBD server, built on {@code nbd4j-client}.
 *
 * <p>Parameters (nbdkit's names): one of {@code [uri=]URI} (the magic key: {@code nbd://HOST[:PORT]/EXPORT},
 * {@code nbd+unix:///EXPORT?socket=PATH}, and the TLS forms {@code nbds://…}, {@code nbds+unix://…}),
 * {@code socket=PATH}, {@code hostname=HOST} with {@code port=PORT} (a number or an {@code /etc/services}
 * name), or {@code command=PROGRAM} with repeated {@code arg=ARG}; then {@code export=NAME},
 * {@code dynamic-export=BOOL}, {@code shared=BOOL}, {@code retry=N}, {@code tls=off|on|require},
 * {@code tls-certificates=DIR} and {@code tls-verify=BOOL}.
 *
 * <p>Behaviour: every client connection opens its own upstream connection (when it connects, so the
 * server need not be up before), unless {@code shared=true} or {@code command=}, which open one
 * connection at start for every client. The export's size, description, block sizes and every
 * transmission flag (read-only, flush, FUA, trim, zero, fast zero, cache, multi-conn, rotational) are
 * the upstream's, and so are the extents of {@code base:allocation}; requests go upstream with their
 * flags (FUA, NO_HOLE, FAST_ZERO, REQ_ONE), pipelined on the connection, read data straight into the
 * server's buffer. On a connection of its own (not shared), a client's reads and writes hold no server
 * thread: the server's reader sends them upstream and the upstream connection's reader sends the reply
 * ({@link io.nbd4j.spi.Handle#startPread}); a read is forwarded as it is, so a hole reaches the client as
 * zeroes in its data chunk, as from nbdkit's plugin. Upstream error replies reach the client with the same error; a lost upstream
 * connection fails its client's requests with EIO, and the server keeps running: the next client
 * connects anew (in shared mode the next client reopens the shared connection). {@code retry=N}
 * tries a failing connection N more times, a second apart. {@code command=} starts the program with
 * systemd socket activation (a listening socket as descriptor 3, {@code LISTEN_FDS=1},
 * {@code LISTEN_PID}), as libnbd does for nbdkit, so {@code qemu-nbd} and {@code nbdkit} work as they
 * do there; it is stopped (SIGTERM) when the server exits. With {@code dynamic-export=true} the client's
 * export name is passed upstream, {@code NBD_OPT_LIST} lists the upstream's exports and the default
 * export is the upstream's. TLS: STARTTLS with X.509, {@code ca-cert.pem} of {@code tls-certificates}
 * (or the JDK's trust store) checks the server, {@code client-cert.pem}/{@code client-key.pem} are
 * presented when present; {@code tls=on} falls back to plaintext when the server refuses TLS.
 *
 * <p>Beyond nbdkit: upstream connections ask for extended headers (64-bit lengths) and fall back to
 * structured replies; longer requests than a 32-bit header can say are split. In shared mode
 * multi-conn is advertised, since every client's requests go down one connection. A shared connection
 * that has died is reopened for the next client instead of failing every later request.
 *
 * <p>Limits: no {@code vsock=}, {@code socket-fd=}, {@code tls-psk=} or {@code tls-username=} (the JDK
 * has no AF_VSOCK, cannot adopt an inherited socket and has no TLS-PSK); each is refused at start
 * with the reason. {@code tls-verify=true} (the default) checks the server's certificate chain on Unix
 * sockets too (libnbd checks only TCP servers), and its name on TCP. Oldstyle servers are not
 * supported. {@code command=} needs Linux with glibc 2.34 or later.
 */
package io.nbd4j.plugins.nbd;
