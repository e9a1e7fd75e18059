package io.nbd4j.server.transmission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTimeTest {
    private static final long FAST_REQUEST = 15_000;

    private static ServiceTime afterFastRequests(int count) {
        ServiceTime time = new ServiceTime();
        for (int i = 0; i < count; i++) {
            time.record(FAST_REQUEST);
        }
        return time;
    }

    @Test
    void aNewConnectionStartsSlowAndAboutTwentyFastRequestsEarnTheReadersHelp() {
        assertThat(new ServiceTime().isFast()).isFalse();
        assertThat(afterFastRequests(10).isFast()).isFalse();
        assertThat(afterFastRequests(24).isFast()).isTrue();
    }

    @Test
    void fastRequestsThatWaitedForACpuNowAndThenKeepTheReadersHelp() {
        ServiceTime time = afterFastRequests(32);
        for (int i = 0; i < 100; i++) {
            // one request in four waited two milliseconds for a CPU: more often than measured
            time.record(i % 4 == 0 ? 2_000_000 : FAST_REQUEST);
            assertThat(time.isFast()).as("after request %d", i).isTrue();
        }
    }

    @Test
    void twoDelayedRequestsInARowNoLongerTakeTheReadersHelpAway() {
        ServiceTime time = afterFastRequests(32);
        time.record(1_000_000);
        time.record(1_000_000);
        assertThat(time.isFast()).isTrue();
    }

    @Test
    void aCallThatBlockedTakesTheReadersHelpAwayAtOnce() {
        ServiceTime time = afterFastRequests(32);
        time.record(ServiceTime.BLOCKED_NANOS);
        assertThat(time.isFast()).isFalse();
    }

    @Test
    void aPluginWhoseCallsAllTakeAMillisecondLosesTheReadersHelpWithinAFewCallsAndStaysSlow() {
        ServiceTime time = afterFastRequests(32);
        int calls = 0;
        while (time.isFast()) {
            time.record(1_000_000);
            calls++;
        }
        assertThat(calls).isBetween(3, 6);
        for (int i = 0; i < 100; i++) {
            time.record(1_000_000);
            assertThat(time.isFast()).isFalse();
        }
    }

    @Test
    void fastRequestsWinTheReadersHelpBackAfterACallThatBlocked() {
        ServiceTime time = afterFastRequests(32);
        time.record(1_000_000_000L);
        int requests = 0;
        while (!time.isFast()) {
            time.record(FAST_REQUEST);
            requests++;
        }
        assertThat(requests).isLessThan(64);
    }
}
