package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugins with heavy dependencies ship as jars of their own and are found by name like built-ins,
 * while the core jar carries none of those dependencies.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class ShippedPluginJarsTest {
    @Test
    void helpListsThePluginsShippedAsJars() {
        ProcessResult r = Commands.runOk(Server.NBD4J.command(List.of("--help")));

        assertThat(r.stdout().lines().filter(l -> l.startsWith("Plugins: ")).findFirst().orElseThrow())
                .contains("memory").contains("s3").contains("ssh");
    }

    @Test
    void pluginHelpIsAnsweredFromItsOwnJar() {
        ProcessResult s3 = Commands.runOk(Server.NBD4J.command(List.of("s3", "--help")));
        ProcessResult ssh = Commands.runOk(Server.NBD4J.command(List.of("ssh", "--help")));

        assertThat(s3.stdout()).contains("bucket=BUCKET").contains("object-size=SIZE").contains("endpoint-url=URL");
        assertThat(ssh.stdout()).contains("host=HOST").contains("known-hosts=FILE").contains("create-size=SIZE");
    }

    @Test
    void unknownPluginMessageNamesThePluginsShippedAsJars() {
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, Server.NBD4J.command(List.of("-f", "no-such-plugin")));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("no-such-plugin").contains("s3").contains("ssh"));
    }

    @Test
    void coreJarCarriesNeitherTheAwsSdkNorSshNorS3Proxy() throws IOException {
        Path core = Server.RepositoryRoot.find().resolve("nbd4j-cli/target/nbd4j.jar");
        try (JarFile jar = new JarFile(core.toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .as("entries of " + core)
                    .isNotEmpty()
                    .noneMatch(n -> n.startsWith("software/amazon/") || n.startsWith("org/apache/sshd/")
                            || n.startsWith("org/gaul/") || n.startsWith("io/nbd4j/plugins/s3/")
                            || n.startsWith("io/nbd4j/plugins/ssh/"));
        }
    }
}
