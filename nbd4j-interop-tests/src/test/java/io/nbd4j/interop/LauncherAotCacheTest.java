package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source tree's launcher makes an AOT cache for its jar with a training run (a captive start whose
 * JVM writes the cache when it exits). A start that cannot make it still works, only slower, every time,
 * and retrains each time: so the cache must exist and be at least as new as the jar after a start.
 */
class LauncherAotCacheTest {

    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void aStartLeavesAnAotCacheAtLeastAsNewAsTheJar() throws Exception {
        Path root = Server.RepositoryRoot.find();
        Path jar = root.resolve("nbd4j-cli/target/nbd4j.jar");
        Path cache = root.resolve("nbd4j-cli/target/nbd4j.aot");

        Commands.runOk(Commands.DEFAULT_TIMEOUT, null, Server.NBD4J.command(List.of("--version")));

        assertThat(cache).as("the AOT cache the launcher trains").exists();
        assertThat(Files.getLastModifiedTime(cache)).as("cache time vs jar time")
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));
    }

    /** Every class of a cache is loaded at each start: the file and nbd plugins' cache only for their starts. */
    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void aCommandNamingTheFileOrNbdPluginStartsWithTheCacheTrainedOnThem() {
        Path target = Server.RepositoryRoot.find().resolve("nbd4j-cli/target");
        Map<String, String> aotLogged = Map.of("NBD4J_JVM_OPTS", "-Xlog:aot=info:stderr");

        String memory = Commands.run(Commands.DEFAULT_TIMEOUT, null, aotLogged,
                Server.NBD4J.command(List.of("--version", "memory"))).stderr();
        String file = Commands.run(Commands.DEFAULT_TIMEOUT, null, aotLogged,
                Server.NBD4J.command(List.of("--version", "file"))).stderr();

        assertThat(memory).contains("Opened AOT cache " + target.resolve("nbd4j.aot")).doesNotContain("[error]");
        assertThat(file).contains("Opened AOT cache " + target.resolve("nbd4j-file-nbd.aot")).doesNotContain("[error]");
    }
}
