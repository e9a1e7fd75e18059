package io.nbd4j.client;

import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;

/**
 * The server answered an option with an error reply ({@code NBD_REP_ERR_*}); {@link #replyType()} says
 * which, and the message includes the server's text if it sent one.
 */
public final class NbdOptionException extends NbdClientException {
    private final int option;
    private final int replyType;

    public NbdOptionException(int option, int replyType, String serverMessage) {
        super("server refused NBD_OPT_" + Option.name(option) + " with " + replyName(replyType)
                + (serverMessage.isEmpty() ? "" : ": " + serverMessage));
        this.option = option;
        this.replyType = replyType;
    }

    public int option() {
        return option;
    }

    /** The {@link OptionReply} error type, e.g. {@link OptionReply#ERR_UNKNOWN}. */
    public int replyType() {
        return replyType;
    }

    static String replyName(int type) {
        return switch (type) {
            case OptionReply.ERR_UNSUP -> "NBD_REP_ERR_UNSUP";
            case OptionReply.ERR_POLICY -> "NBD_REP_ERR_POLICY";
            case OptionReply.ERR_INVALID -> "NBD_REP_ERR_INVALID";
            case OptionReply.ERR_PLATFORM -> "NBD_REP_ERR_PLATFORM";
            case OptionReply.ERR_TLS_REQD -> "NBD_REP_ERR_TLS_REQD";
            case OptionReply.ERR_UNKNOWN -> "NBD_REP_ERR_UNKNOWN";
            case OptionReply.ERR_SHUTDOWN -> "NBD_REP_ERR_SHUTDOWN";
            case OptionReply.ERR_BLOCK_SIZE_REQD -> "NBD_REP_ERR_BLOCK_SIZE_REQD";
            case OptionReply.ERR_TOO_BIG -> "NBD_REP_ERR_TOO_BIG";
            case OptionReply.ERR_EXT_HEADER_REQD -> "NBD_REP_ERR_EXT_HEADER_REQD";
            default -> "reply type 0x" + Integer.toHexString(type);
        };
    }
}
