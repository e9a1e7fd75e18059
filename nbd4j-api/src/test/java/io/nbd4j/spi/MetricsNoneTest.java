package io.nbd4j.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
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

    @ParameterizedTest
    @ValueSource(strings = {"a", "_", ":", "nbd4j_cache_hits", "A9", "ns:sub:name", "_9:"})
    void metricNamesAreALetterUnderscoreOrColonThenDigitsToo(String name) {
        assertThat(NoMetrics.isName(name, true)).isTrue();
        assertThat(NoMetrics.isName(name, false)).isEqualTo(!name.contains(":"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9a", "a-b", "a b", "a.b", "é", "a\u00e9", "\u0660"})
    void otherNamesAreRefused(String name) {
        assertThat(NoMetrics.isName(name, true)).isFalse();
        assertThat(NoMetrics.isName(name, false)).isFalse();
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
