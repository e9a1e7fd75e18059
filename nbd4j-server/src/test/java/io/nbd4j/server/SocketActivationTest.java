package io.nbd4j.server;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which environments activate this process, read as nbdkit reads {@code LISTEN_PID} and {@code LISTEN_FDS}. */
class SocketActivationTest {
    static final long PID = 4242;

    @Test
    void socketsPassedToThisProcessAreCounted() {
        assertThat(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2"), PID))
                .hasValueSatisfying(a -> assertThat(a.count()).isEqualTo(2));
    }

    @Test
    void variablesMeantForAnotherProcessAreIgnored() {
        assertThat(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4241", "LISTEN_FDS", "1"), PID)).isEmpty();
    }

    @Test
    void withoutBothVariablesOrWithGarbageThereIsNoActivation() {
        assertThat(SocketActivation.fromEnvironment(Map.of("LISTEN_FDS", "1"), PID)).isEmpty();
        assertThat(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242"), PID)).isEmpty();
        assertThat(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "one"), PID)).isEmpty();
    }

    @Test
    void noSocketsOrMoreThanSixteenIsAMistakeNamedInTheError() {
        assertThatThrownBy(() -> SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "0"), PID))
                .hasMessageContaining("LISTEN_FDS=0").hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "17"), PID))
                .hasMessageContaining("LISTEN_FDS=17");
    }
}
