package io.nbd4j.server.transmission;

import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

/**
 * Maps a failure of a layer to the error value sent to the client. ENOTSUP is only meaningful to a
 * client that asked for a fast zero, EOVERFLOW only to one that asked for an unfragmented read;
 * anyone else gets EINVAL. Stateless.
 */
final class WireErrors {
    private WireErrors() {}

    static int toWire(Throwable failure, int commandFlags) {
        NbdError error = NbdException.errorOf(failure);
        return switch (error) {
            case ENOTSUP -> (commandFlags & CommandFlags.FAST_ZERO) != 0 ? error.wireValue() : NbdError.EINVAL.wireValue();
            case EOVERFLOW -> (commandFlags & CommandFlags.DF) != 0 ? error.wireValue() : NbdError.EINVAL.wireValue();
            default -> error.wireValue();
        };
    }
}
