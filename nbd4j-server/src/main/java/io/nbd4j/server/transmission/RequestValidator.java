package io.nbd4j.server.transmission;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ServerRequestHeader;
import io.nbd4j.protocol.TransmissionFlags;
import io.nbd4j.server.handshake.Session;
import io.nbd4j.spi.NbdError;

/**
 * Checks a request against what was negotiated, before any layer sees it: the command and flags
 * must have been advertised, writes need a writable export, the range must lie inside the export and
 * respect the minimum block size, and payloads must fit the maximum. The answer is the error the
 * protocol and nbdkit use: EPERM for writes to a read-only export, ENOSPC for writes past the end,
 * EINVAL for the rest (EOVERFLOW for an oversized payload under extended headers).
 *
 * <p>Immutable; shared by the threads of one connection.
 */
final class RequestValidator {
    private static final int KNOWN_FLAGS = CommandFlags.FUA | CommandFlags.NO_HOLE | CommandFlags.DF
            | CommandFlags.REQ_ONE | CommandFlags.FAST_ZERO | CommandFlags.PAYLOAD_LEN;

    private final Session session;

    RequestValidator(Session session) {
        this.session = session;
    }

    /** The length of the payload that follows this request's header on the wire. */
    long payloadLength(ServerRequestHeader r) {
        if (r.type() == Command.WRITE
                || (session.extendedHeaders() && r.hasFlag(CommandFlags.PAYLOAD_LEN))) {
            return r.length();
        }
        return 0;
    }

    /** {@code null} when the request may run, else the reason it may not. */
    Rejection check(ServerRequestHeader r) {
        int type = r.type();
        if (type > Command.BLOCK_STATUS || type == Command.DISC) {
            return invalid("unknown command " + Command.name(type));
        }
        Rejection flags = checkFlags(r);
        if (flags != null) {
            return flags;
        }
        boolean writes = type == Command.WRITE || type == Command.TRIM || type == Command.WRITE_ZEROES;
        if (writes && session.hasFlag(TransmissionFlags.READ_ONLY)) {
            return new Rejection(NbdError.EPERM.wireValue(), Command.name(type) + " on a read-only export");
        }
        Rejection advertised = checkAdvertised(type);
        if (advertised != null) {
            return advertised;
        }
        if (type == Command.FLUSH) {
            return r.offset() == 0 && r.length() == 0 ? null : invalid("FLUSH must have offset and length 0");
        }
        return checkRange(r);
    }

    private Rejection checkFlags(ServerRequestHeader r) {
        int type = r.type();
        int flags = r.flags();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return invalid(String.format("unknown flags 0x%x", flags & ~KNOWN_FLAGS));
        }
        if ((flags & CommandFlags.PAYLOAD_LEN) != 0 && (!session.extendedHeaders() || type != Command.WRITE)) {
            return invalid("PAYLOAD_LEN is only accepted on WRITE with extended headers");
        }
        if ((flags & CommandFlags.FUA) != 0 && !session.hasFlag(TransmissionFlags.SEND_FUA)) {
            return invalid("FUA was not advertised");
        }
        if ((flags & (CommandFlags.NO_HOLE | CommandFlags.FAST_ZERO)) != 0 && type != Command.WRITE_ZEROES) {
            return invalid("NO_HOLE and FAST_ZERO are only valid on WRITE_ZEROES");
        }
        if ((flags & CommandFlags.FAST_ZERO) != 0 && !session.hasFlag(TransmissionFlags.SEND_FAST_ZERO)) {
            return invalid("FAST_ZERO was not advertised");
        }
        if ((flags & CommandFlags.DF) != 0 && (type != Command.READ || !session.hasFlag(TransmissionFlags.SEND_DF))) {
            return invalid("DF is only valid on READ with structured replies");
        }
        if ((flags & CommandFlags.REQ_ONE) != 0 && type != Command.BLOCK_STATUS) {
            return invalid("REQ_ONE is only valid on BLOCK_STATUS");
        }
        return null;
    }

    private Rejection checkAdvertised(int type) {
        return switch (type) {
            case Command.FLUSH -> session.hasFlag(TransmissionFlags.SEND_FLUSH) ? null : invalid("FLUSH was not advertised");
            case Command.TRIM -> session.hasFlag(TransmissionFlags.SEND_TRIM) ? null : invalid("TRIM was not advertised");
            case Command.WRITE_ZEROES -> session.hasFlag(TransmissionFlags.SEND_WRITE_ZEROES) ? null : invalid("WRITE_ZEROES was not advertised");
            case Command.CACHE -> session.hasFlag(TransmissionFlags.SEND_CACHE) ? null : invalid("CACHE was not advertised");
            case Command.BLOCK_STATUS -> session.metaContextId() != 0 ? null
                    : invalid("BLOCK_STATUS needs the base:allocation context to be negotiated");
            default -> null;
        };
    }

    private Rejection checkRange(ServerRequestHeader r) {
        int type = r.type();
        long offset = r.offset();
        long length = r.length();
        if (length == 0) {
            return invalid(Command.name(type) + " with length 0");
        }
        long size = session.size();
        if (Long.compareUnsigned(offset, size) > 0 || Long.compareUnsigned(length, size - offset) > 0) {
            String message = Command.name(type) + " of " + Long.toUnsignedString(length) + " bytes at offset "
                    + Long.toUnsignedString(offset) + " goes past the end of the export (" + size + " bytes)";
            boolean write = type == Command.WRITE || type == Command.WRITE_ZEROES;
            return new Rejection((write ? NbdError.ENOSPC : NbdError.EINVAL).wireValue(), message);
        }
        long block = session.minimumBlock();
        if (block > 1 && (offset % block != 0 || (length % block != 0 && offset + length != size))) {
            return invalid(Command.name(type) + " at offset " + offset + " length " + length
                    + " is not aligned to the minimum block size " + block);
        }
        if ((type == Command.READ || type == Command.WRITE) && length > session.maxPayload()) {
            NbdError error = session.extendedHeaders() ? NbdError.EOVERFLOW : NbdError.EINVAL;
            return new Rejection(error.wireValue(), Command.name(type) + " of " + length
                    + " bytes exceeds the maximum payload of " + session.maxPayload() + " bytes");
        }
        return null;
    }

    private static Rejection invalid(String message) {
        return new Rejection(NbdError.EINVAL.wireValue(), message);
    }
}
