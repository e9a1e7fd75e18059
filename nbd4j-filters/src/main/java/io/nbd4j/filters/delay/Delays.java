package io.nbd4j.filters.delay;

import io.nbd4j.filters.common.Operation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each kind of call, and opening and closing a connection, waits. Immutable.
 *
 * @param calls    the wait before each kind of data call; absent or zero means none
 * @param open     the wait before a connection's layers below open
 * @param close    the wait when a connection's handle closes
 * @param fastZero whether a fast zero waits like any zero (true) or fails at once with ENOTSUP (false)
 */
record Delays(Map<Operation, Duration> calls, Duration open, Duration close, boolean fastZero) {
    Delays {
        calls = Map.copyOf(calls);
    }

    static Delays none() {
        return new Delays(new EnumMap<>(Operation.class), Duration.ZERO, Duration.ZERO, true);
    }

    Duration of(Operation operation) {
        return calls.getOrDefault(operation, Duration.ZERO);
    }

    /** Whether fast zero requests are answered by the filter itself, at once (delayed zeroes, {@code delay-fast-zero=false}). */
    boolean refusesFastZero() {
        return !fastZero && of(Operation.ZERO).isPositive();
    }
}
