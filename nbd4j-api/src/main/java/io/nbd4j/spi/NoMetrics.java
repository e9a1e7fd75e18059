package io.nbd4j.spi;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Metrics#NONE}: records nothing, but checks names, label names and label counts as a real
 * registry would, so that a layer's mistakes fail its tests whether or not metrics are on.
 *
 * <p><b>Threads.</b> Immutable; any thread.
 */
final class NoMetrics implements Metrics {
    static final NoSeries COUNTER = new NoSeries(0);
    static final NoSeries GAUGE = COUNTER;
    static final NoSeries TIMER = COUNTER;

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public Counter counter(String name, String help, String... labelNames) {
        check(name, help, labelNames);
        if (name.endsWith("_total")) {
            throw new IllegalArgumentException("metric " + name + ": a counter's name has no _total (the exposition adds it)");
        }
        return NoSeries.of(labelNames);
    }

    @Override
    public Gauge gauge(String name, String help, String... labelNames) {
        check(name, help, labelNames);
        return NoSeries.of(labelNames);
    }

    @Override
    public Timer timer(String name, String help, String... labelNames) {
        check(name, help, labelNames);
        if (!name.endsWith("_seconds")) {
            throw new IllegalArgumentException("metric " + name + ": a timer's name ends in _seconds, its unit");
        }
        return NoSeries.of(labelNames);
    }

    /** Throws {@link IllegalArgumentException} for a name or label names a registry would refuse. */
    static void check(String name, String help, String... labelNames) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        if (!isName(name, true)) {
            throw new IllegalArgumentException("metric name '" + name + "' does not match [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labelNames) {
            if (label == null || !isName(label, false) || label.startsWith("__")) {
                throw new IllegalArgumentException("metric " + name + ": label name '" + label
                        + "' does not match [a-zA-Z_][a-zA-Z0-9_]* or starts with __");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("metric " + name + ": label " + label + " is named twice");
            }
        }
    }

    /**
     * Whether {@code s} matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*} (a metric name) or, without the colons,
     * {@code [a-zA-Z_][a-zA-Z0-9_]*} (a label name). Not a regular expression: every server start
     * registers its metrics through here, and would otherwise compile two for it.
     */
    static boolean isName(String s, boolean colons) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Throws unless {@code values} are as many as the family has label names, none of them null. */
    static void checkLabelValues(String[] values, int labelCount) {
        if (values.length != labelCount) {
            throw new IllegalArgumentException("expected " + labelCount + " label values, got " + values.length);
        }
        for (String v : values) {
            Objects.requireNonNull(v, "label value");
        }
    }

    /** Throws when a family with label names is used as a child. */
    static void checkUnlabelled(int labelCount) {
        if (labelCount != 0) {
            throw new IllegalStateException("this family has labels: use labels(...) first");
        }
    }

    /** A counter, gauge or timer family (or child) that keeps nothing. */
    record NoSeries(int labelCount) implements Counter, Gauge, Timer {
        static NoSeries of(String[] labelNames) {
            return labelNames.length == 0 ? COUNTER : new NoSeries(labelNames.length);
        }

        @Override
        public void inc() {
            checkUnlabelled(labelCount);
        }

        @Override
        public void add(long amount) {
            checkUnlabelled(labelCount);
            if (amount < 0) {
                throw new IllegalArgumentException("a counter cannot go down: " + amount);
            }
        }

        @Override
        public void set(double value) {
            checkUnlabelled(labelCount);
        }

        @Override
        public void add(double delta) {
            checkUnlabelled(labelCount);
        }

        @Override
        public void recordNanos(long nanos) {
            checkUnlabelled(labelCount);
        }

        @Override
        public NoSeries labels(String... values) {
            checkLabelValues(values, labelCount);
            return COUNTER;
        }
    }
}
