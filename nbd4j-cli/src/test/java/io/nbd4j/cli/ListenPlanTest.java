package io.nbd4j.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the server listens, and which options socket activation rules out (as nbdkit does). */
class ListenPlanTest {
    static final long PID = 777;
    static final Map<String, String> ACTIVATED = Map.of("LISTEN_PID", "777", "LISTEN_FDS", "1");

    static CliOptions parse(String... args) throws UsageException {
        return CliOptions.parse(args);
    }

    @Test
    void activationReplacesTheDefaultTcpListener() throws Exception {
        ListenPlan plan = ListenPlan.from(parse("memory", "1M"), ACTIVATED, PID);

        assertThat(plan.activation()).isNotNull();
        assertThat(plan.activation().count()).isEqualTo(1);
        assertThat(plan.tcpPort()).isEqualTo(-1);
        assertThat(plan.unixSocket()).isNull();
    }

    @Test
    void activationRefusesEveryOptionThatSaysWhereToListenOrRunsACommand() throws Exception {
        for (String[] args : new String[][] {{"-U", "/tmp/x"}, {"-p", "10810"}, {"-i", "127.0.0.1"}, {"-s"},
                {"--run", "true"}, {"--print-uri"}}) {
            CliOptions options = parse(args);
            options.words.add("memory");
            assertThatThrownBy(() -> ListenPlan.from(options, ACTIVATED, PID))
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith(args[0] + " cannot be used with socket activation");
        }
    }

    @Test
    void variablesOfAnotherProcessLeaveTheUsualTcpListener() throws Exception {
        ListenPlan plan = ListenPlan.from(parse("memory", "1M"), Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"), PID);

        assertThat(plan.activation()).isNull();
        assertThat(plan.tcpPort()).isEqualTo(ListenPlan.DEFAULT_PORT);
    }

    @Test
    void anOutOfRangeSocketCountIsAUsageError() {
        assertThatThrownBy(() -> ListenPlan.from(parse("memory", "1M"), Map.of("LISTEN_PID", "777", "LISTEN_FDS", "99"), PID))
                .isInstanceOf(UsageException.class).hasMessageContaining("LISTEN_FDS=99");
    }
}
