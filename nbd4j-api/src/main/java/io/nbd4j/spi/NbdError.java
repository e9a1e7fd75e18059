package io.nbd4j.spi;

/** The errors the NBD protocol can carry to a client, with their wire values. */
public enum NbdError {
    EPERM(1),
    EIO(5),
    ENOMEM(12),
    EINVAL(22),
    ENOSPC(28),
    EOVERFLOW(75),
    ENOTSUP(95),
    ESHUTDOWN(108);

    private final int wireValue;

    NbdError(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The error with this wire value, or {@link #EINVAL} for a value the protocol does not name. */
    public static NbdError fromWire(int value) {
        for (NbdError e : values()) {
            if (e.wireValue == value) {
                return e;
            }
        }
        return EINVAL;
    }

    /**
     * Maps a POSIX errno name, as scripts and nbdkit write them ({@code EROFS}, {@code EDQUOT} …), to the
     * error the client will see; unknown names map to {@code EIO}.
     */
    public static NbdError fromErrnoName(String name) {
        return switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "EPERM", "EROFS", "EACCES" -> EPERM;
            case "EIO" -> EIO;
            case "ENOMEM" -> ENOMEM;
            case "EINVAL" -> EINVAL;
            case "ENOSPC", "EFBIG", "EDQUOT" -> ENOSPC;
            case "EOVERFLOW" -> EOVERFLOW;
            case "ENOTSUP", "EOPNOTSUPP" -> ENOTSUP;
            case "ESHUTDOWN" -> ESHUTDOWN;
            default -> EIO;
        };
    }
}
