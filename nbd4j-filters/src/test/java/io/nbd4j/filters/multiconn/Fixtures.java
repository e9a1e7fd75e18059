package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;

import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/** Builds configured filters for the tests of this package, and the waits they share. */
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

    /** Waits for {@code latch} on a plugin thread, which cannot throw InterruptedException. */
    static void pass(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins until {@code condition} holds; the test's timeout interrupts it. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("gave up waiting (test timeout)");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
