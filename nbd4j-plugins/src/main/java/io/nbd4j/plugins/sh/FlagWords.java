package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Flags;

import java.util.StringJoiner;

/**
 * The flags argument as scripts receive it: a comma-separated list in the fixed order
 * {@code fua,may_trim,req_one,fast}, or the empty string. Stateless.
 */
final class FlagWords {
    private FlagWords() {}

    static String of(int flags) {
        StringJoiner words = new StringJoiner(",");
        if (Flags.has(flags, Flags.FUA)) {
            words.add("fua");
        }
        if (Flags.has(flags, Flags.MAY_TRIM)) {
            words.add("may_trim");
        }
        if (Flags.has(flags, Flags.REQ_ONE)) {
            words.add("req_one");
        }
        if (Flags.has(flags, Flags.FAST_ZERO)) {
            words.add("fast");
        }
        return words.toString();
    }
}
