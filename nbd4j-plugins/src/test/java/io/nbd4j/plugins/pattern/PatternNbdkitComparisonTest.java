package io.nbd4j.plugins.pattern;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The same disk from nbdkit's pattern plugin and ours, byte for byte; skipped where nbdkit is missing. */
class PatternNbdkitComparisonTest {
    @Test
    void aDiskWhoseSizeIsNotAMultipleOfEightMatchesNbdkit() throws Exception {
        String size = "4099";
        byte[] theirs = servedByNbdkit(size);
        PatternPlugin plugin = new PatternPlugin();
        plugin.config("size", size);
        plugin.configComplete();
        Handle h = plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
        ByteBuffer ours = ByteBuffer.allocate(4099);
        h.pread(ours, 0, 0);
        assertThat(ours.array()).isEqualTo(theirs);
    }

    private static byte[] servedByNbdkit(String size) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(List.of("nbdkit", "-U", "-", "pattern", size, "--run", "nbdcopy \"$uri\" -"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "nbdkit is not installed");
            throw e;
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nbdkit pattern did not finish");
        }
        assumeTrue(p.exitValue() == 0, "nbdkit and nbdcopy ran");
        return out.get(10, TimeUnit.SECONDS);
    }
}
