package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT caches' training (nbd4j-dist/src/aot/train, the jar's hidden {@code --internal-aot-training})
 * serves each plugin of the core jar that the bench has cold rows for, in one JVM, so that the cache it
 * writes holds their request paths: a fresh server's first requests then load none of those classes.
 * The script makes two caches, the memory plugin's and one also trained on file, multi-conn and nbd
 * (every class of a cache is loaded at each start). Without the libnbd tools it must still make them
 * (the start-ups only), since every launcher would otherwise train again at every start.
 */
class AotTrainingTest {
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> STEPS = List.of("memory", "file", "multi-conn", "nbd");

    @TempDir
    Path dir;

    @Test
    void eachStepServesItsClientsAndTheCacheHoldsEveryPluginsRequestPath() {
        Path cache = dir.resolve("trained.aot");
        ProcessResult training = Commands.run(TRAINING_TIMEOUT, dir, List.of(java(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:AOTCacheOutput=" + cache, "-jar", jar().toString(),
                "--internal-aot-training=memory,file,multi-conn,nbd"));

        assertThat(training.exitCode()).as("%s", training).isZero();
        assertThat(training.stderrLines()).as("%s", training).noneMatch(l -> l.contains("failed"));
        for (String step : STEPS) {
            assertThat(training.stderrLines()).as("%s", training)
                    .anySatisfy(l -> assertThat(l).startsWith("nbd4j: aot training: " + step + ": ok"));
        }
        List<String> cached = cachedClasses(cache);
        assertThat(cached).as("classes in the cache").contains(
                "io.nbd4j.plugins.memory.PageTableHandle",
                "io.nbd4j.plugins.file.FileHandle",
                "io.nbd4j.filters.multiconn.FlushRounds$Round",
                "io.nbd4j.plugins.nbd.ProxyHandle");
    }

    @Test
    void withoutTheClientsTheScriptStillMakesTheMemoryCacheAndTheFileAndNbdOne() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // The shell and coreutils only: no nbdinfo, nbdcopy or fio.
        for (String tool : List.of("bash", "env", "mktemp", "mv", "rm", "cat", "head", "truncate", "dd")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        Path cache = dir.resolve("untrained.aot");
        ProcessResult training = Commands.run(TRAINING_TIMEOUT, dir, Map.of("PATH", bin.toString()),
                List.of(script().toString(), java(), jar().toString(), cache.toString()));

        assertThat(training.exitCode()).as("%s", training).isZero();
        List<String> memory = cachedClasses(cache);
        assertThat(memory).as("classes in the memory cache").contains("io.nbd4j.plugins.memory.MemoryPlugin")
                .doesNotContain("io.nbd4j.plugins.file.FilePlugin", "io.nbd4j.plugins.nbd.NbdPlugin");
        List<String> fileAndNbd = cachedClasses(dir.resolve("untrained-file-nbd.aot"));
        assertThat(fileAndNbd).as("classes in the file and nbd cache").contains("io.nbd4j.plugins.memory.MemoryPlugin",
                "io.nbd4j.plugins.file.FilePlugin", "io.nbd4j.filters.multiconn.MultiConnFilter",
                "io.nbd4j.plugins.nbd.NbdPlugin");
    }

    /** The classes an AOT cache holds, as the JVM lists them for {@code -XX:+PrintSharedArchiveAndExit}. */
    private List<String> cachedClasses(Path cache) {
        ProcessResult listing = Commands.run(Commands.DEFAULT_TIMEOUT, dir, List.of(java(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + cache, "-XX:+PrintSharedArchiveAndExit",
                "-jar", jar().toString()));
        assertThat(listing.exitCode()).as("%s", listing).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : listing.stdout().lines().toList()) {
            String[] words = line.strip().split(" ");
            if (words.length == 3 && words[0].matches("\\d+:") && words[2].endsWith("_loader")) {
                classes.add(words[1]);
            }
        }
        return classes;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static Path jar() {
        return Server.RepositoryRoot.find().resolve("nbd4j-cli/target/nbd4j.jar");
    }

    private static Path script() {
        return Server.RepositoryRoot.find().resolve("nbd4j-dist/src/aot/train");
    }
}
