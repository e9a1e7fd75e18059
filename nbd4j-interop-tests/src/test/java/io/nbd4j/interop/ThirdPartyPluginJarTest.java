package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nbd4j only (nbdkit loads {@code .so} files instead): a plugin given as the path of a jar is found through
 * its service entry and served like a built-in one, parameters and all.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class ThirdPartyPluginJarTest {
    /** The example module's jar, built by the reactor before this module's tests run. */
    static final String EXAMPLE_PLUGIN_JAR =
            "nbd4j-example-plugin/target/nbd4j-example-plugin-0.1.0-SNAPSHOT.jar";
    /** Parameters the example plugin needs to serve something; adapt when its contract is known. */
    static final List<String> EXAMPLE_PLUGIN_PARAMETERS = List.of();

    private static final String GREETING_CLASS = "org.example.greeting.GreetingPlugin";
    private static final String GREETING_SOURCE = """
            package org.example.greeting;

            import io.nbd4j.spi.*;
            import java.nio.ByteBuffer;
            import java.nio.charset.StandardCharsets;
            import java.util.List;

            /** Serves 1 MiB of its greeting repeated; read-only. */
            public final class GreetingPlugin implements Plugin {
                private byte[] greeting = "hello ".getBytes(StandardCharsets.UTF_8);

                public String name() { return "greeting"; }
                public String description() { return "a greeting, repeated"; }
                public String version() { return "7.7"; }
                public String magicConfigKey() { return "greeting"; }
                public List<Parameter> parameters() {
                    return List.of(new Parameter("greeting", "TEXT", "the text to repeat"));
                }
                public void config(String key, String value) {
                    greeting = value.getBytes(StandardCharsets.UTF_8);
                }
                public Handle open(OpenRequest request) {
                    return new Handle() {
                        public long size() { return 1 << 20; }
                        public void pread(ByteBuffer buffer, long offset, int flags) {
                            for (long o = offset; buffer.hasRemaining(); o++) {
                                buffer.put(greeting[(int) (o % greeting.length)]);
                            }
                        }
                    };
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void pluginJarServesItsContentWithItsParameters() throws IOException {
        Path jar = PluginJar.build(dir, GREETING_CLASS, GREETING_SOURCE, true);

        ProcessResult r = ServerProcess.captive(Server.NBD4J, List.of(jar.toString(), "greeting=hi!"),
                "nbdsh -u \"$uri\" -c 'print(h.get_size(), h.is_read_only(), h.pread(8, 3).decode())'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("1048576 True hi!hi!hi");
    }

    @Test
    void pluginJarTakesItsMagicParameterAsABareWord() throws IOException {
        Path jar = PluginJar.build(dir, GREETING_CLASS, GREETING_SOURCE, true);

        ProcessResult r = ServerProcess.captive(Server.NBD4J, List.of(jar.toString(), "ab"),
                "nbdsh -u \"$uri\" -c 'print(h.pread(5, 1048575 - 4).decode())'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("babab");
    }

    @Test
    void pluginJarAnswersVersionAndHelpProbes() throws IOException {
        Path jar = PluginJar.build(dir, GREETING_CLASS, GREETING_SOURCE, true);

        ProcessResult version = Commands.runOk(Server.NBD4J.command(List.of(jar.toString(), "--version")));
        ProcessResult help = Commands.runOk(Server.NBD4J.command(List.of(jar.toString(), "--help")));

        assertThat(version.stdout().lines()).contains("greeting 7.7");
        assertThat(help.stdout()).contains("greeting=TEXT").contains("the text to repeat");
    }

    @Test
    void jarWithoutAServiceEntryIsRefusedWithOneMessage() throws IOException {
        Path jar = PluginJar.build(dir, GREETING_CLASS, GREETING_SOURCE, false);

        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                Server.NBD4J.command(List.of("-f", "-U", dir.resolve("sock").toString(), jar.toString())));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: ")).singleElement()
                .satisfies(l -> assertThat(l).contains(jar.toString()).contains("META-INF/services"));
    }

    @Test
    void missingJarIsRefusedWithOneMessage() {
        String missing = dir.resolve("no-such-plugin.jar").toString();

        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                Server.NBD4J.command(List.of("-f", "-U", dir.resolve("sock").toString(), missing)));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: ")).singleElement()
                .satisfies(l -> assertThat(l).contains(missing));
    }

    @Test
    void examplePluginJarServesAnExport() {
        Path jar = Server.RepositoryRoot.find().resolve(EXAMPLE_PLUGIN_JAR);
        assertThat(jar).as("built by the nbd4j-example-plugin module").isRegularFile();
        List<String> args = new ArrayList<>(List.of(jar.toString()));
        args.addAll(EXAMPLE_PLUGIN_PARAMETERS);

        // Size, then a full read through nbdcopy: the export must be non-empty and readable to its end.
        ProcessResult r = ServerProcess.captive(Server.NBD4J, args,
                "nbdinfo --size \"$uri\" && nbdcopy \"$uri\" null: && echo read-to-the-end");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.toString()).hasSize(2).endsWith("read-to-the-end");
        assertThat(Long.parseLong(lines.getFirst())).as("export size").isPositive();
    }
}
