package io.nbd4j.spi;

/**
 * Who is at the other end of a Unix-domain socket, as the kernel vouches for it ({@code SO_PEERCRED}):
 * the credentials the client process had when it connected. A process id may be reused once that
 * process has exited, so it identifies a client only together with the uid.
 *
 * @param pid the client's process id
 * @param uid the client's user id
 * @param gid the client's group id
 */
public record PeerCredentials(long pid, long uid, long gid) {}
