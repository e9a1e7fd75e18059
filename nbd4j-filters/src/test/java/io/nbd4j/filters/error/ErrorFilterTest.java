package io.nbd4j.filters.error;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ErrorFilterTest {
    static final int EIO = 5;
    static final int ENOSPC = 28;

    @TempDir
    Path dir;

    static int errorOf(ThrowingRunnable call) {
        try {
            call.run();
            return 0;
        } catch (NbdClientException e) {
            return e.error();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void atFullRateEveryCallFailsWithEioAndNoWriteReachesThePlugin() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new ErrorFilter()).config("error-rate=100%").start();
             NbdClient client = served.connect()) {
            assertThat(errorOf(() -> client.pread(0, 512))).isEqualTo(EIO);
            assertThat(errorOf(() -> client.pwrite(new byte[512], 0))).isEqualTo(EIO);
            assertThat(errorOf(() -> client.trim(4096, 0, 0))).isEqualTo(EIO);
            assertThat(errorOf(() -> client.zero(4096, 0, 0))).isEqualTo(EIO);
            assertThat(errorOf(() -> client.cache(4096, 0))).isEqualTo(EIO);
            assertThat(errorOf(() -> client.blockStatus(4096, 0, 0))).isEqualTo(EIO);
            assertThat(errorOf(client::flush)).as("flush is never failed").isZero();
        }
        assertThat(disk.calls()).containsExactly("flush");
    }

    @Test
    void aSettingForOneCallOverridesTheGeneralOneGivenBeforeIt() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new ErrorFilter())
                .config("error-rate=1", "error-pread-rate=0", "error-pwrite=ENOSPC").start();
             NbdClient client = served.connect()) {
            assertThat(errorOf(() -> client.pread(0, 512))).isZero();
            assertThat(errorOf(() -> client.pwrite(new byte[512], 0))).isEqualTo(ENOSPC);
            assertThat(errorOf(() -> client.zero(512, 0, 0))).isEqualTo(EIO);
        }
    }

    @Test
    void errorsAreInjectedOnlyWhileTheTriggerFileExists() throws Exception {
        Path trigger = dir.resolve("trigger");
        try (ServedStack served = ServedStack.of(new ScriptedPlugin(1 << 20), new ErrorFilter())
                .config("error-rate=100%", "error-file=" + trigger, "error=ENOSPC").start();
             NbdClient client = served.connect()) {
            assertThat(errorOf(() -> client.pread(0, 512))).isZero();
            Files.createFile(trigger);
            assertThat(errorOf(() -> client.pread(0, 512))).isEqualTo(ENOSPC);
            Files.delete(trigger);
            assertThat(errorOf(() -> client.pread(0, 512))).isZero();
        }
    }

    /** As nbdkit's own test: 1000 reads at 10% give between 50 and 150 errors (the bounds are over 5 standard deviations out). */
    @Test
    void aTenPercentRateFailsAboutOneReadInTen() throws Exception {
        try (ServedStack served = ServedStack.of(new ScriptedPlugin(4096), new ErrorFilter()).config("error-rate=10%").start();
             NbdClient client = served.connect()) {
            int errors = 0;
            for (int i = 0; i < 1000; i++) {
                if (errorOf(() -> client.pread(0, 512)) == EIO) {
                    errors++;
                }
            }
            assertThat(errors).isBetween(50, 150);
        }
    }

    @Test
    void ratesAreAPercentageOrAProbabilityAndNothingElse() throws Exception {
        assertThat(ErrorFilter.parseRate("error-rate", "10%")).isEqualTo(0.1);
        assertThat(ErrorFilter.parseRate("error-rate", "0.25")).isEqualTo(0.25);
        assertThat(ErrorFilter.parseRate("error-rate", "1")).isEqualTo(1.0);
        assertThatThrownBy(() -> ErrorFilter.parseRate("error-rate", "150%")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ErrorFilter.parseRate("error-rate", "-0.1")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ErrorFilter.parseRate("error-rate", "often")).hasMessageContaining("could not parse");
    }

    @Test
    void badErrorNamesAndKeysFailNamingWhatIsAccepted() {
        assertThatThrownBy(() -> Layers.configured(new ErrorFilter(), "error=EAGAIN"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("EPERM, EIO, ENOMEM, EINVAL, ENOSPC, ESHUTDOWN");
        assertThatThrownBy(() -> Layers.configured(new ErrorFilter(), "error-flush-rate=1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pread, pwrite, trim, zero, extents or cache");
    }
}
