package io.nbd4j.plugins.sh;

/**
 * What a script's exit code means in nbdkit's sh protocol. Codes 4 and above are errors: like the
 * nbdkit we compare against (which prints {@code max_known_status=3}), we give no meaning to the
 * shutdown and disconnect codes 4 to 8, and a script killed by a signal is an error too.
 */
enum ExitStatus {
    /** 0: success, or true for a boolean method. */
    OK,
    /** 1 and everything not listed here: failure, with an errno name and message on stderr. */
    ERROR,
    /** 2: the script does not implement the method; the documented default applies. */
    MISSING,
    /** 3: false for a boolean method (an error for any other). */
    FALSE;

    /** The highest exit code with a meaning of its own, reported by {@code --dump-plugin}. */
    static final int MAX_KNOWN_STATUS = 3;

    static ExitStatus of(int code) {
        return switch (code) {
            case 0 -> OK;
            case 2 -> MISSING;
            case 3 -> FALSE;
            default -> ERROR;
        };
    }
}
