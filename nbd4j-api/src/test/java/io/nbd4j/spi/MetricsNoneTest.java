package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsNoneTest {
    private final Metrics none = Metrics.NONE;

    @Test
    void acceptsWellFormedFamiliesAndCountsNothing() {
        assertThatCode(() -> {
            none.counter("nbd4j_cache_hits", "hits", "export").labels("disk").add(3);
            none.gauge("nbd4j_cache_blocks", "blocks").set(5);
            none.timer("nbd4j_s3_request_seconds", "requests", "operation").labels("get").recordNanos(1000);
            Metrics.Counter.NONE.inc();
        }).doesNotThrowAnyException();
    }

    @Test
    void refusesNamesARegistryWouldRefuse() {
        assertThatThrownBy(() -> none.counter("nbd4j-cache hits", "h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> none.counter("nbd4j_hits_total", "h")).hasMessageContaining("_total");
        assertThatThrownBy(() -> none.timer("nbd4j_latency", "h")).hasMessageContaining("_seconds");
        assertThatThrownBy(() -> none.gauge("nbd4j_x", "h", "__reserved")).hasMessageContaining("label name");
        assertThatThrownBy(() -> none.gauge("nbd4j_x", "h", "a", "a")).hasMessageContaining("named twice");
    }

    @Test
    void aLabelledFamilyNeedsItsLabelValues() {
        Metrics.Counter family = none.counter("nbd4j_x", "h", "export", "operation");
        assertThatThrownBy(family::inc).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> family.labels("only-one")).hasMessageContaining("expected 2 label values");
        assertThatThrownBy(() -> family.labels("a", null)).isInstanceOf(NullPointerException.class);
        assertThatCode(() -> family.labels("a", "b").inc()).doesNotThrowAnyException();
    }

    @Test
    void aCounterCannotGoDown() {
        assertThatThrownBy(() -> none.counter("nbd4j_x", "h").add(-1)).hasMessageContaining("cannot go down");
    }
}
