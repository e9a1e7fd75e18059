/**
 * The ip filter ({@code --filter=ip}): lets clients in or turns them away, before any negotiation, by
 * their address, or, on a Unix-domain socket, by the pid, uid and gid of the client process as the
 * kernel reports them ({@code SO_PEERCRED}). Better done outside the server (a firewall) where one
 * can; this is for where one cannot.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code allow=RULE[,RULE...]}</dt><dd>Clients matching any of these are let in.</dd>
 * <dt>{@code deny=RULE[,RULE...]}</dt><dd>Clients matching any of these, and no allow rule, are
 *     turned away.</dd>
 * </dl>
 * Both may repeat, adding to their list; their order does not matter: the allow list is always
 * looked at first, then the deny list, and a client matching neither is let in. Without rules every
 * client is let in. Rules: {@code all} or {@code any} (every client); {@code anyipv4},
 * {@code anyipv6} ({@code all…} too); {@code anyunix}; an IPv4 or IPv6 address, optionally a network
 * {@code ADDRESS/PREFIX} ({@code 192.168.2.0/24}, {@code fd00::/8}); {@code pid:N}, {@code uid:N},
 * {@code gid:N} for Unix-domain clients; {@code anyvsock}, {@code vsock-cid:N} and
 * {@code vsock-port:N} are accepted for nbdkit's command lines but match nothing (the JDK has no
 * AF_VSOCK). Addresses are literals, never looked up. {@code -D ip.rules=1} logs the rules and each
 * match (with {@code -v}).
 *
 * <h2>Behaviour</h2>
 * The decision is made in {@code preconnect}, before the handshake and TLS, and a client turned away
 * is disconnected at once. A client whose address the server does not know (a pipe on stdin with
 * {@code -s}) is turned away, as nbdkit fails closed; with {@code -s} on a Unix socket pair (libnbd's
 * {@code nbd_connect_command}) the peer's credentials are known and the Unix rules apply. An IPv4
 * client reaching a dual-stack listener is seen as IPv4. If the JVM denies reading peer credentials
 * (see the server's documentation), no {@code pid:}/{@code uid:}/{@code gid:} rule matches, which
 * fails closed for {@code allow=uid:N deny=all}. The filter adds nothing to the data path and keeps
 * the layer below multi-conn consistent.
 */
package io.nbd4j.filters.ip;
