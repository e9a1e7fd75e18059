package io.nbd4j.server;

import java.util.concurrent.CountDownLatch;

/** A test disk whose calls of one kind wait at a gate the test opens; the test learns when one waits. */
class GatedDisk extends RamDisk {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final String gatedCall;

    /** {@code call} is a call's name as {@link RamDisk#enter} gets it, such as "pread" or "flush". */
    GatedDisk(String call) {
        super(1 << 20);
        this.gatedCall = call;
    }

    @Override
    void enter(String call) {
        if (call.equals(gatedCall)) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
