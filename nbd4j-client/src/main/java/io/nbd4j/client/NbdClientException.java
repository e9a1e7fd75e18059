package io.nbd4j.client;

import io.nbd4j.protocol.ErrorCode;
import java.io.IOException;

/**
 * A failed NBD operation. {@link #error()} is the NBD error value the server replied with
 * ({@link ErrorCode}), or {@link #NO_ERROR_VALUE} when the failure did not come from a server reply
 * (lost connection, protocol violation, closed client).
 */
public class NbdClientException extends IOException {
    public static final int NO_ERROR_VALUE = 0;

    private final int error;

    public NbdClientException(String message) {
        this(message, NO_ERROR_VALUE, null);
    }

    public NbdClientException(String message, Throwable cause) {
        this(message, NO_ERROR_VALUE, cause);
    }

    public NbdClientException(String message, int error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The NBD error value from the server, or {@link #NO_ERROR_VALUE}. */
    public int error() {
        return error;
    }

    /** The specification's name of an NBD error value, e.g. {@code ENOSPC}. */
    public static String errorName(int error) {
        return switch (error) {
            case ErrorCode.EPERM -> "EPERM";
            case ErrorCode.EIO -> "EIO";
            case ErrorCode.ENOMEM -> "ENOMEM";
            case ErrorCode.EINVAL -> "EINVAL";
            case ErrorCode.ENOSPC -> "ENOSPC";
            case ErrorCode.EOVERFLOW -> "EOVERFLOW";
            case ErrorCode.ENOTSUP -> "ENOTSUP";
            case ErrorCode.ESHUTDOWN -> "ESHUTDOWN";
            default -> "error " + error;
        };
    }

    /** A copy thrown on the caller's thread, keeping this one (thrown on the reader thread) as the cause. */
    NbdClientException rethrownHere() {
        return new NbdClientException(getMessage(), error, this);
    }
}
