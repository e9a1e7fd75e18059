package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;

/** Builds configured filters for the tests of this package. */
final class Fixtures {
    private Fixtures() {}

    /** A filter configured with {@code key=value} words, as the command line would. */
    static MultiConnFilter filter(String... keyValues) throws ConfigException {
        MultiConnFilter f = new MultiConnFilter();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            f.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        f.configComplete();
        return f;
    }

    static MultiConnFilter filter(String mode, DirtyTracking tracking, String... more) throws ConfigException {
        String[] all = new String[more.length + 2];
        all[0] = "multi-conn-mode=" + mode;
        all[1] = "multi-conn-track-dirty=" + tracking.name().toLowerCase(java.util.Locale.ROOT);
        System.arraycopy(more, 0, all, 2, more.length);
        return filter(all);
    }
}
