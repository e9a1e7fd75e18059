package io.nbd4j.interop;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -v} logs every call into every layer, one line naming the layer, as nbdkit's backend debugging
 * does (what nbdkit's test-nbdkit-backend-debug.sh checks, less nbdkit's line prefix), and nbdkit's
 * debug flags turn off the control or the data path.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class LayerTracingTest {
    private static String traced(String... debugFlags) {
        List<String> args = new java.util.ArrayList<>(List.of("-v"));
        for (String flag : debugFlags) {
            args.addAll(List.of("-D", flag));
        }
        args.addAll(List.of("--filter=noextents", "memory", "1M"));
        ProcessResult r = ServerProcess.captive(Server.NBD4J, args, "nbdsh -u \"$uri\" -c 'h.pread(4096, 0)'");
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.stderr();
    }

    @Test
    void verboseLogsTheControlAndDataPathOfEachLayer() {
        assertThat(traced()).contains(
                "noextents: open readonly=0 exportname=\"\" tls=0", "memory: open readonly=0",
                "noextents: prepare", "memory: get_size", "noextents: can_zero",
                "noextents: pread count=4096 offset=0", "memory: pread count=4096 offset=0", "memory: close");
    }

    @Test
    void debugFlagsTurnOffEitherPath() {
        String dataOnly = traced("nbdkit.backend.controlpath=0");
        assertThat(dataOnly).contains("memory: pread count=4096").doesNotContain("memory: open", "noextents: get_size");
        String controlOnly = traced("nbdkit.backend.datapath=0");
        assertThat(controlOnly).contains("memory: open").doesNotContain("pread count=");
    }
}
