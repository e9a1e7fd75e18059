package io.nbd4j.plugins.file.linux;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

/**
 * A failed Linux system call: keeps the raw {@code errno} so callers can tell "not supported here"
 * from real failures, and carries the NBD error the client should see. Immutable.
 */
public final class ErrnoException extends NbdException {
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(toNbdError(errno), call + ": " + Errno.name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** Whether the call failed because the file system or device does not implement it. */
    public boolean meansUnsupported() {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOSYS || errno == Errno.ENOTTY || errno == Errno.ENODEV;
    }

    static NbdError toNbdError(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES, Errno.EROFS -> NbdError.EPERM;
            case Errno.ENOSPC, Errno.EDQUOT, Errno.EFBIG -> NbdError.ENOSPC;
            case Errno.ENOMEM -> NbdError.ENOMEM;
            case Errno.EINVAL -> NbdError.EINVAL;
            case Errno.EOPNOTSUPP -> NbdError.ENOTSUP;
            default -> NbdError.EIO;
        };
    }
}
