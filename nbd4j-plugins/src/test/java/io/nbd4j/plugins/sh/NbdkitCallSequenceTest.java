package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs one logging script under the real nbdkit (driven by nbdsh) and under our plugin (driven
 * through the SPI the same way the server will), and compares the methods and arguments the script
 * saw. Capability queries are left out: which of them a server asks, and in what order, is the
 * server's business, not the protocol's.
 */
class NbdkitCallSequenceTest {
    private static final String LOGGING_SCRIPT = """
            #!/bin/sh
            { printf '%s|' "$@"; echo; } >> "$(dirname "$0")/calls.log"
            case "$1" in
              config|config_complete|get_ready|after_fork|preconnect|close|unload|flush|trim|zero) ;;
              open) echo h1 ;;
              get_size) echo 1M ;;
              can_write|can_flush|can_trim|can_zero) exit 0 ;;
              can_fua) echo native ;;
              pread) dd if=/dev/zero count="$3" iflag=count_bytes status=none ;;
              pwrite) cat > /dev/null ;;
              *) exit 2 ;;
            esac
            """;
    /** The calls whose order and arguments the protocol fixes. */
    private static final Set<String> COMPARED = Set.of("load", "magic_config_key", "config", "config_complete",
            "thread_model", "get_ready", "after_fork", "preconnect", "default_export", "open", "get_size", "pread",
            "pwrite", "zero", "trim", "close", "unload");

    @TempDir
    Path dir;

    @Test
    void ourCallsMatchNbdkitsForTheSameClientRequests() throws Exception {
        assumeTrue(onPath("nbdkit") && Files.isExecutable(Path.of("/usr/bin/nbdsh")), "needs nbdkit and nbdsh");
        Path nbdkitScript = Scripts.executable(Files.createDirectory(dir.resolve("nbdkit")), "plugin.sh", LOGGING_SCRIPT);
        Path ourScript = Scripts.executable(Files.createDirectory(dir.resolve("nbd4j")), "plugin.sh", LOGGING_SCRIPT);

        runUnderNbdkit(nbdkitScript);
        runUnderOurPlugin(ourScript);

        List<String> theirs = compared(nbdkitScript.resolveSibling("calls.log"));
        List<String> ours = compared(ourScript.resolveSibling("calls.log"));
        assertThat(theirs).contains("pread|h1|512|0|", "pwrite|h1|512|512|fua|", "zero|h1|1024|0|fua,may_trim|");
        assertThat(ours).isEqualTo(theirs);
    }

    private void runUnderNbdkit(Path script) throws Exception {
        String client = "PATH=/usr/bin:$PATH nbdsh -u \"$uri\""
                + " -c 'h.pread(512, 0)'"
                + " -c 'h.pwrite(b\"x\" * 512, 512, nbd.CMD_FLAG_FUA)'"
                + " -c 'h.zero(1024, 0, nbd.CMD_FLAG_FUA)'"
                + " -c 'h.trim(512, 1024)'";
        Process nbdkit = new ProcessBuilder("nbdkit", "-U", "-", "sh", script.toString(), "greeting=hello", "--run", client)
                .redirectErrorStream(true).redirectOutput(dir.resolve("nbdkit.out").toFile()).start();
        assertThat(nbdkit.waitFor(30, TimeUnit.SECONDS)).as("nbdkit finished").isTrue();
        assertThat(nbdkit.exitValue()).as(Files.readString(dir.resolve("nbdkit.out"))).isZero();
    }

    private void runUnderOurPlugin(Path script) throws Exception {
        ShPlugin plugin = new ShPlugin();
        try {
            plugin.config("script", script.toString());
            plugin.config("greeting", "hello");
            plugin.configComplete();
            plugin.getReady(plugin.threadModel());
            plugin.preconnect(false);
            String export = plugin.defaultExport(false, false);
            try (Handle h = plugin.open(Scripts.openRequest().withExportName(export))) {
                h.size();
                h.pread(ByteBuffer.allocate(512), 0, 0);
                h.pwrite(ByteBuffer.allocate(512), 512, Flags.FUA);
                h.zero(1024, 0, Flags.FUA | Flags.MAY_TRIM);
                h.trim(512, 1024, 0);
            }
        } finally {
            plugin.unload();
        }
    }

    private static List<String> compared(Path log) throws Exception {
        return Files.readAllLines(log).stream()
                .filter(line -> COMPARED.contains(line.substring(0, line.indexOf('|'))))
                .toList();
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
