package io.nbd4j.server.handshake;

import io.nbd4j.server.backend.ConnectionBackend;

/**
 * An export opened and prepared during negotiation, with the answers the handshake sends.
 *
 * @param backend           the open layers; whoever holds this record must finish and close them
 * @param name              the canonical name (the default export's name when the client sent "")
 * @param size              the export size
 * @param transmissionFlags the flags for the client
 * @param minimumBlock      the minimum block size requests must be aligned to
 * @param preferredBlock    the preferred block size
 * @param maxPayload        the maximum block size advertised: the largest read or write payload accepted,
 *                          or {@link io.nbd4j.spi.BlockSize#NO_MAXIMUM} for a layer that takes any (the
 *                          server's payload limit still applies)
 * @param enforced          whether requests are held to the minimum and maximum (see
 *                          {@link io.nbd4j.spi.Handle#blockSizeEnforced()}); if not, they are only advertised
 */
record OpenedExport(ConnectionBackend backend, String name, long size, int transmissionFlags,
                    long minimumBlock, long preferredBlock, long maxPayload, boolean enforced) {}
