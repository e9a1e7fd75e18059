package io.nbd4j.server.handshake;

import io.nbd4j.protocol.TransmissionFlags;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.ZeroMode;

import java.io.IOException;

/** Derives the transmission flags of an export from the top layer's cached capabilities. Stateless. */
final class TransmissionFlagsPolicy {
    private TransmissionFlagsPolicy() {}

    static int flags(Next top, boolean structuredReplies, ThreadModel effective) throws IOException {
        int flags = TransmissionFlags.HAS_FLAGS;
        boolean writable = top.canWrite();
        if (!writable) {
            flags |= TransmissionFlags.READ_ONLY;
        }
        if (top.canFlush()) {
            flags |= TransmissionFlags.SEND_FLUSH;
        }
        if (top.canFua() != FuaMode.NONE) {
            flags |= TransmissionFlags.SEND_FUA;
        }
        if (top.isRotational()) {
            flags |= TransmissionFlags.ROTATIONAL;
        }
        if (top.canTrim()) {
            flags |= TransmissionFlags.SEND_TRIM;
        }
        // A writable export has write-zeroes (emulated with writes if need be) unless a layer hid it.
        if (top.zeroMode() != ZeroMode.NONE) {
            flags |= TransmissionFlags.SEND_WRITE_ZEROES;
            if (top.canFastZero()) {
                flags |= TransmissionFlags.SEND_FAST_ZERO;
            }
        }
        if (structuredReplies) {
            flags |= TransmissionFlags.SEND_DF;
        }
        if (top.canMultiConn() && effective != ThreadModel.SERIALIZE_CONNECTIONS) {
            flags |= TransmissionFlags.CAN_MULTI_CONN;
        }
        if (top.canCache() != CacheMode.NONE) {
            flags |= TransmissionFlags.SEND_CACHE;
        }
        return flags;
    }
}
