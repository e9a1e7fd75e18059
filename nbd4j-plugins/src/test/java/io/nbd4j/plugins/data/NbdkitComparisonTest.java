package io.nbd4j.plugins.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nbd4j.plugins.data.DataDisks.contentOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Side by side with the real thing: nbdkit serves the same data string on a private Unix socket and
 * nbdcopy prints its disk; our parser must produce the same bytes. Skipped where nbdkit is missing.
 */
class NbdkitComparisonTest {
    @BeforeAll
    static void needsNbdkit() throws Exception {
        Assumptions.assumeTrue(works("nbdkit", "--version") && works("nbdcopy", "--version"), "nbdkit and nbdcopy are installed");
    }

    private static boolean works(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] servedByNbdkit(String data) throws Exception {
        Process p = new ProcessBuilder(List.of("nbdkit", "-U", "-", "data", data, "--run", "nbdcopy \"$uri\" -"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nbdkit did not finish for: " + data);
        }
        assertThat(p.exitValue()).as("nbdkit exit status for %s", data).isZero();
        return out.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1 2 3 @0x10 \"hi\" (0xff)*3",
            "0 1 2 3 @^0x200 @-2 le16:0xaa55",
            "@0x1be 0 0 2 0 0x83 0x20 0x20 0 le32:1 le32:0x7ff @0x1fe 0x55 0xaa",
            "( 0x55 0xAA )*100 be32:0x01020304 be64:0x1122334455667788 le64:42",
            "1 2 3 @0 ( @+2 9 ) ( 1 2 3 )[1:] 017",
            "\"a\\n\\\"\\\\\\t\" ( \"Hello\" )*3 # comment\n @+5 7",
    })
    void ourParserServesTheSameBytesAsNbdkit(String data) throws Exception {
        assertThat(contentOf(data)).isEqualTo(servedByNbdkit(data));
    }
}
