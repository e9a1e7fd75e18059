package io.nbd4j.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hidden {@code --internal-aot-training=STEPS} takes step names the train script spells; a name it does
 * not know fails before any server starts, naming the steps there are. (The training itself, with real
 * clients, is proven in nbd4j-interop-tests' AotTrainingTest.)
 */
class AotTrainingStepsTest {

    @Test
    void stepsAreNamedSeparatedByCommas() throws Exception {
        assertThat(AotTraining.steps("memory,nbd")).containsExactlyInAnyOrder("memory", "nbd");
    }

    @Test
    void anUnknownStepIsRefusedNamingTheSteps() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--internal-aot-training=memory,curl"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("'curl' is not a step").contains("memory,file,multi-conn,nbd");
    }
}
