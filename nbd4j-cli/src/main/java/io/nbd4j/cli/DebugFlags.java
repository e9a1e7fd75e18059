package io.nbd4j.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -D NAME.FLAG=VALUE}: checked for syntax and published as the system property
 * {@code nbd4j.debug.NAME.FLAG}, where a layer can read it with {@link Integer#getInteger}.
 */
final class DebugFlags {
    private DebugFlags() {}

    static void apply(List<String> flags) throws UsageException {
        for (String flag : flags) {
            Matcher m = Syntax.FLAG.matcher(flag);
            if (!m.matches()) {
                throw new UsageException("-D: expecting NAME.FLAG=VALUE, got '" + flag + "'");
            }
            System.setProperty("nbd4j.debug." + m.group(1) + "." + m.group(2), m.group(3));
        }
    }

    /** Compiled when a flag is given, not by every start (which calls {@link #apply} with none). */
    private static final class Syntax {
        static final Pattern FLAG = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)\\.([A-Za-z0-9_.]+)=(.*)");
    }
}
