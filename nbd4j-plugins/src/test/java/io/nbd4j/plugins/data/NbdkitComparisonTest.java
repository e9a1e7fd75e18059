package io.nbd4j.plugins.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nbd4j.plugins.data.DataDisks.contentOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Side by side with the real thing: nbdkit serves the same data string on a private Unix socket and
 * nbdcopy prints its disk, or nbdkit prints its optimised expression; ours must give the same bytes
 * and the same tree. Skipped where nbdkit is missing.
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

    /** What nbdkit prints on stdout (or stderr) for {@code nbdkit OPTIONS data DATA PARAMS --run RUN}. */
    private static String nbdkit(List<String> options, String data, List<String> params, String run, boolean stderr) throws Exception {
        List<String> command = new ArrayList<>(List.of("nbdkit", "-U", "-"));
        command.addAll(options);
        command.addAll(List.of("data", data));
        command.addAll(params);
        command.addAll(List.of("--run", run));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("a");
        Process p = (stderr ? pb.redirectOutput(ProcessBuilder.Redirect.DISCARD) : pb.redirectError(ProcessBuilder.Redirect.DISCARD)).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return (stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nbdkit did not finish for: " + data);
        }
        assertThat(p.exitValue()).as("nbdkit exit status for %s", data).isZero();
        return new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
    }

    private static byte[] servedByNbdkit(String data, String... params) throws Exception {
        return nbdkit(List.of(), data, List.of(params), "nbdcopy \"$uri\" -", false).getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1 2 3 @0x10 \"hi\" (0xff)*3",
            "0 1 2 3 @^0x200 @-2 le16:0xaa55",
            "@0x1be 0 0 2 0 0x83 0x20 0x20 0 le32:1 le32:0x7ff @0x1fe 0x55 0xaa",
            "( 0x55 0xAA )*100 be32:0x01020304 be64:0x1122334455667788 le64:42",
            "1 2 3 @0 ( @+2 9 ) ( 1 2 3 )[1:] 017",
            "\"a\\n\\\"\\\\\\t\" ( \"Hello\" )*3 # comment\n @+5 7",
            "( 0x55 0xAA ) -> \\sig ( @0x1fe \\sig ) -> \\sector \\sector \\sector*3 \\sig[1:]",
            "1 -> \\1 ( \\1 ) -> \\t \\t ( 2 -> \\1 ) \\t ( 3 -> \\1 \\t ) 4 -> \\1 \\t ( \\1 ) -> \\t \\t",
            "1*5000 @100 0*100 @4090 2*20 @-30 \"xyz\"*700 @^4096 (@3)*2",
            "<( for i in 0 1 2 3 4 5 6 7; do printf %04d $i; done )[5:17] <( while :; do printf ab; done )[:7]",
            "\"Hello\"[1:4]*3 (1 2 3 4 5)[2:] ()*5 \"\"[:] 7[0:1]",
    })
    void weServeTheSameBytesAsNbdkit(String data) throws Exception {
        assertThat(contentOf(data)).isEqualTo(servedByNbdkit(data));
    }

    @Test
    void parametersAreVariablesAsInNbdkit() throws Exception {
        String data = "$a $b*2 ( $a )[1:]";
        assertThat(contentOf(Map.of(), "data", data, "a", " 1 2 3 ", "b", " $a 9 "))
                .isEqualTo(servedByNbdkit(data, "a= 1 2 3 ", "b= $a 9 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1 2 3 @0x10 \"hi\" (0xff)*3",
            "(((2 2 2) 2)) (1 1 1 (1 3)) \"123456\"[2:4] (0x31 0x32 0x33)*4*4 (1 2 3)*0",
            "( 0x55 0xAA ) -> \\sig ( @0x1fe \\sig ) -> \\sector \\sector*3 \\sig[1:]",
            "1*5000 @100 0*100 @^4096 (@3)*2 ( 1 @2 )*1000 </dev/zero[:10] <(echo hi)",
            "\"\\x00\\x7f ~\" le32:7 ()[6:]*0 (1 1 1 1 1 1)[2:3] ( \"A\" )*5",
    })
    void weOptimiseToTheSameTreeAsNbdkit(String data) throws Exception {
        List<String> ours = new ArrayList<>();
        DataPlugin plugin = new DataPlugin(name -> null, () -> true, ours::add);
        plugin.config("data", data);
        plugin.configComplete();
        List<String> theirs = nbdkit(List.of("-fv", "-D", "data.AST=1"), data, List.of(), "true", true).lines()
                .dropWhile(l -> !l.contains("BEGIN AST"))
                .takeWhile(l -> !l.contains("END AST"))
                .map(l -> l.substring(l.indexOf("debug: ") + "debug: ".length()))
                .toList();
        assertThat(ours.subList(0, ours.size() - 1)).isEqualTo(theirs);
    }
}
