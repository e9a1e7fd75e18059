package io.nbd4j.filters.error;

import io.nbd4j.spi.NbdError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to fail one kind of call and with what: with probability {@code rate}, and only while
 * {@code trigger} exists when one is set. Immutable.
 *
 * @param error   the error the client is sent
 * @param rate    from 0 (never) to 1 (always)
 * @param trigger a file whose existence arms the injection, or {@code null} for always armed
 */
record Injection(NbdError error, double rate, Path trigger) {
    static final Injection NEVER = new Injection(NbdError.EIO, 0, null);

    Injection withError(NbdError e) {
        return new Injection(e, rate, trigger);
    }

    Injection withRate(double r) {
        return new Injection(error, r, trigger);
    }

    Injection withTrigger(Path t) {
        return new Injection(error, rate, t);
    }

    /** Whether this call fails: the trigger is looked for on every call, so creating or removing it takes effect at once. */
    boolean fires() {
        if (rate <= 0 || (trigger != null && !Files.exists(trigger))) {
            return false;
        }
        return rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate;
    }
}
