package io.nbd4j.filters.rate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket's arithmetic, on a clock the test moves. */
class TokenBucketTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsItsCapacityThroughAtOnceThenAsksTheCallerToWaitForTheRest() {
        TokenBucket b = new TokenBucket(1000, 2.0, 0);

        assertThat(b.take(1500, 0)).isZero();
        assertThat(b.take(800, 0)).isEqualTo(300);
        assertThat(b.nanosFor(300)).isEqualTo(300 * SECOND / 1000);
        assertThat(b.nanosFor(5000)).as("no longer than filling the bucket").isEqualTo(2 * SECOND);
    }

    @Test
    void tokensComeBackAtTheRateButNeverAboveTheCapacity() {
        TokenBucket b = new TokenBucket(1000, 2.0, 0);
        assertThat(b.take(2000, 0)).isZero();

        assertThat(b.take(500, SECOND / 2)).isZero();
        assertThat(b.take(1, SECOND / 2)).isEqualTo(1);

        assertThat(b.take(2000, 100 * SECOND)).isZero();
        assertThat(b.take(1, 100 * SECOND)).isEqualTo(1);
    }

    @Test
    void rateZeroMeansNoLimitAndAnAdjustmentCapsTheTokensAtTheNewCapacity() {
        TokenBucket unlimited = new TokenBucket(0, 2.0, 0);
        assertThat(unlimited.take(1e18, 0)).isZero();

        TokenBucket b = new TokenBucket(1000, 2.0, 0);
        assertThat(b.adjust(100)).isEqualTo(1000);
        assertThat(b.take(200, 0)).isZero();
        assertThat(b.take(1, 0)).isEqualTo(1);
        assertThat(b.rate()).isEqualTo(100);
    }
}
