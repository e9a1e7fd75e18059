package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Options that answer a question and exit: {@code --version}, {@code PLUGIN --version}, {@code --help}, {@code --print-uri}. */
class InformationalOptionsTest {

    @ServerTest
    void versionStartsWithTheServersName(Server server) {
        ProcessResult r = Commands.runOk(server.command(List.of("--version")));

        assertThat(r.stdout().lines().findFirst()).as(r.toString()).hasValueSatisfying(
                first -> assertThat(first).matches(server + " \\S+"));
    }

    @ServerTest
    void pluginVersionProbeNamesThePlugin(Server server) {
        ProcessResult r = Commands.runOk(server.command(List.of("memory", "--version")));

        assertThat(r.stdout().lines()).as(r.toString())
                .anySatisfy(l -> assertThat(l).matches(server + " \\S+"))
                .anySatisfy(l -> assertThat(l).matches("memory \\S+"));
    }

    @ServerTest
    void pluginHelpDescribesTheSizeParameter(Server server) {
        ProcessResult r = Commands.runOk(server.command(List.of("memory", "--help")));

        assertThat(r.stdout()).as(r.toString()).contains("size=");
        if (server == Server.NBD4J) {
            assertThat(r.stdout().lines()).anySatisfy(l -> assertThat(l).startsWith("memory plugin "));
        }
    }

    @ServerTest
    void unknownPluginVersionProbeFails(Server server) {
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                server.command(List.of("no-such-plugin", "--version")));

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
    }

    /** nbdkit 1.32 has no {@code --print-uri}; it arrived in 1.34. */
    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void printUriPrintsTheSameUriTheRunCommandSees() {
        ProcessResult r = ServerProcess.captive(Server.NBD4J, List.of("--print-uri", "memory", "1M"),
                "echo \"run:$uri\"");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.toString()).hasSize(2);
        assertThat(lines.get(0)).startsWith("nbd+unix://?socket=/").endsWith("/socket");
        assertThat(lines.get(1)).isEqualTo("run:" + lines.get(0));
    }
}
