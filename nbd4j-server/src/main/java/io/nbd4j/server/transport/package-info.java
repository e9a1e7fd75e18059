/**
 * The byte stream under a connection. {@link io.nbd4j.server.transport.Transport} is all the
 * handshake and transmission code see, so an encrypting transport can replace the plain
 * {@link io.nbd4j.server.transport.ChannelTransport} once {@code NBD_OPT_STARTTLS} succeeds.
 */
package io.nbd4j.server.transport;
