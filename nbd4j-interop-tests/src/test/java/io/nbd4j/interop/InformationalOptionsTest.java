package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Options that answer a question and exit: {@code --version}, {@code PLUGIN --version}, {@code --help},
 * {@code --dump-config}, {@code --dump-plugin}, {@code --long-options}, {@code --short-options}, {@code --print-uri}.
 */
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

    /**
     * The fields nbdkit's manual tells scripts to parse: {@code version_major}/{@code version_minor} to test
     * for a release ("nbdkit >= 1.16"), and where the program lives. nbd4j reports the nbdkit release it
     * follows there, and its own name and version in {@code name=} and {@code version=}.
     */
    @ServerTest
    void dumpConfigCarriesTheFieldsScriptsTestForAnNbdkitRelease(Server server) {
        Map<String, String> config = keyValues(Commands.runOk(server.command(List.of("--dump-config"))));

        assertThat(config).containsEntry("name", server.toString()).containsEntry("version_major", "1")
                .containsKeys("bindir", "binary", "host_os", "version", "tls");
        assertThat(Integer.parseInt(config.get("version_minor"))).isGreaterThanOrEqualTo(32);
        assertThat(Path.of(config.get("binary")).getParent()).isEqualTo(Path.of(config.get("bindir")));
        if (server == Server.NBD4J) {
            assertThat(Path.of(config.get("binary"))).isEqualTo(Server.RepositoryRoot.find().resolve("nbd4j"));
            String version = Commands.runOk(server.command(List.of("--version"))).stdout().strip();
            assertThat(version).isEqualTo("nbd4j " + config.get("version"));
        }
    }

    private static Map<String, String> keyValues(ProcessResult r) {
        Map<String, String> map = new LinkedHashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> map.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return map;
    }

    @ServerTest
    void longAndShortOptionsAreListedOneALineForShellCompletion(Server server) {
        List<String> longOptions = Commands.runOk(server.command(List.of("--long-options"))).stdout().lines().toList();
        List<String> shortOptions = Commands.runOk(server.command(List.of("--short-options"))).stdout().lines().toList();

        assertThat(longOptions).contains("--help", "--version", "--filter", "--run", "--unix", "--dump-plugin")
                .allSatisfy(o -> assertThat(o).matches("--[a-z][a-z0-9-]+"));
        assertThat(shortOptions).contains("-v", "-V", "-s", "-U", "-f").allSatisfy(o -> assertThat(o).matches("-[A-Za-z0-9]"));
    }

    /**
     * {@code --dump-plugin} asks a script for its thread model without completing the configuration, and
     * says (as {@code has_thread_model=1}) that the plugin chooses its own.
     */
    @ServerTest
    void dumpPluginShowsTheThreadModelAScriptChooses(Server server, @TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script.sh"), """
                case "$1" in
                  thread_model) echo serialize_connections ;;
                  config_complete) touch "%s" ;;
                  get_size) echo 1M ;;
                  *) exit 2 ;;
                esac
                """.formatted(dir.resolve("completed")));

        ProcessResult bare = Commands.runOk(server.command(List.of("--dump-plugin", "sh")));
        ProcessResult inline = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                server.command(List.of("--dump-plugin", "sh", "-")), script);

        assertThat(bare.stdout().lines().filter(l -> l.contains("thread_model")))
                .containsExactly("max_thread_model=parallel", "thread_model=parallel", "has_thread_model=1");
        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(inline.stdout().lines()).contains("thread_model=serialize_connections");
        assertThat(dir.resolve("completed")).doesNotExist();
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
