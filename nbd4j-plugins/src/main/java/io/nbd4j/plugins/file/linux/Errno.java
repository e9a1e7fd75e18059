package io.nbd4j.plugins.file.linux;

/** The errno values the file plugins act on; identical on x86_64 and aarch64 Linux. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EOPNOTSUPP = 95;
    public static final int EDQUOT = 122;

    private Errno() {}

    /** The symbolic name, for messages; the number for values not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case EINTR -> "EINTR (interrupted)";
            case EIO -> "EIO (input/output error)";
            case ENXIO -> "ENXIO (no such device or address)";
            case EAGAIN -> "EAGAIN (try again)";
            case ENOMEM -> "ENOMEM (out of memory)";
            case EACCES -> "EACCES (permission denied)";
            case ENODEV -> "ENODEV (no such device)";
            case ENOTDIR -> "ENOTDIR (not a directory)";
            case EISDIR -> "EISDIR (is a directory)";
            case EINVAL -> "EINVAL (invalid argument)";
            case ENOTTY -> "ENOTTY (inappropriate ioctl)";
            case EFBIG -> "EFBIG (file too large)";
            case ENOSPC -> "ENOSPC (no space left on device)";
            case EROFS -> "EROFS (read-only file system)";
            case ENOSYS -> "ENOSYS (function not implemented)";
            case ELOOP -> "ELOOP (symbolic link refused)";
            case EOPNOTSUPP -> "EOPNOTSUPP (operation not supported)";
            case EDQUOT -> "EDQUOT (disk quota exceeded)";
            default -> "errno " + errno;
        };
    }
}
