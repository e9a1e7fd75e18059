package io.nbd4j.server.handshake;

import io.nbd4j.server.backend.ConnectionBackend;
import io.nbd4j.server.transport.Transport;

/**
 * What the handshake settled for the transmission phase of one connection.
 *
 * @param transport         the transport to use from now on (an encrypted one after STARTTLS)
 * @param backend           the opened and prepared layers
 * @param exportName        the canonical export name
 * @param size              the export size
 * @param transmissionFlags the flags sent to the client
 * @param structuredReplies whether structured replies were negotiated (always with extended headers)
 * @param extendedHeaders   whether extended headers were negotiated
 * @param metaContextId     the id of {@code base:allocation}, or 0 when no context is active
 * @param minimumBlock      the alignment requests must respect (1 when the export declared none, or
 *                          does not want its block size enforced)
 * @param maxPayload        the largest read or write accepted
 */
public record Session(Transport transport, ConnectionBackend backend, String exportName, long size,
                      int transmissionFlags, boolean structuredReplies, boolean extendedHeaders,
                      int metaContextId, long minimumBlock, long maxPayload) {

    public boolean hasFlag(int transmissionFlag) {
        return (transmissionFlags & transmissionFlag) != 0;
    }
}
