package io.nbd4j.client;

import io.nbd4j.protocol.OptionReply;

/**
 * One option reply exactly as received. {@code data} is a fresh array the caller owns. Immutable apart
 * from that array.
 */
public record RawOptionReply(int option, int type, byte[] data) {

    public boolean isError() {
        return OptionReply.isError(type);
    }
}
