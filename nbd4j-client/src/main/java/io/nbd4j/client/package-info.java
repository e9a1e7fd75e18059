/**
 * A Java NBD client. {@link io.nbd4j.client.NbdClient#connect} negotiates and enters the transmission
 * phase in one call; {@link io.nbd4j.client.NbdNegotiation} exposes each handshake option for tools and
 * protocol tests. One {@link io.nbd4j.client.NbdClient} pipelines requests from many threads over a single
 * connection. Wire encoding and decoding live in {@code io.nbd4j.protocol} ({@code Client*} classes).
 */
package io.nbd4j.client;
