package io.nbd4j.spi;

import java.io.IOException;

/**
 * The one exception a plugin or filter throws to fail a request: it carries the message for the log
 * and the {@link NbdError} for the client. Any other {@link IOException} reaches the client as EIO.
 */
public class NbdException extends IOException {
    private final NbdError error;

    public NbdException(NbdError error, String message) {
        super(message);
        this.error = error;
    }

    public NbdException(NbdError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public NbdError error() {
        return error;
    }

    /** The NBD error for any failure: the carried one for an {@code NbdException}, EIO otherwise. */
    public static NbdError errorOf(Throwable t) {
        return t instanceof NbdException e ? e.error : NbdError.EIO;
    }
}
