package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.StaleCachePlugin;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Holds the first plugin flush until released (at the latest when closed), and says when it was reached. */
final class FirstFlushGate implements AutoCloseable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);

    FirstFlushGate(StaleCachePlugin plugin) {
        plugin.gate(c -> {
            if (first.compareAndSet(true, false)) {
                entered.countDown();
                Fixtures.pass(release);
            }
        });
    }

    @Override
    public void close() {
        release.countDown();
    }
}
