package io.nbd4j.interop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source tree's launcher rebuilds the core jar when a source is newer than it, and only then. Its
 * scan of the sources runs in the background while the script finds the JDK, so the answer must still
 * reach the decision to build. Run on a copy of the launcher in a scratch tree (a .git, the real jar, one
 * source file) with a Maven on PATH that only records that it was asked.
 */
class LauncherRebuildTest {
    private static final Instant JAR_TIME = Instant.now().minus(Duration.ofHours(1));

    @TempDir
    Path tree;
    private Path source;
    private Path mavenLog;
    private Map<String, String> environment;

    @BeforeEach
    void makeTree() throws IOException {
        Path root = Server.RepositoryRoot.find();
        Path launcher = tree.resolve("nbd4j");
        Files.copy(root.resolve("nbd4j"), launcher);
        Files.createFile(tree.resolve(".git"));
        Path jar = Files.createDirectories(tree.resolve("nbd4j-cli/target")).resolve("nbd4j.jar");
        Files.copy(root.resolve("nbd4j-cli/target/nbd4j.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(JAR_TIME));
        for (String pom : List.of("pom.xml", "nbd4j-cli/pom.xml")) {
            Path p = Files.writeString(tree.resolve(pom), "<project/>\n");
            Files.setLastModifiedTime(p, FileTime.from(JAR_TIME.minus(Duration.ofHours(1))));
        }
        source = Files.createDirectories(tree.resolve("nbd4j-server/src/main/java")).resolve("Server.java");
        Files.writeString(source, "class Server {}\n");

        mavenLog = tree.resolve("maven.log");
        Path bin = Files.createDirectories(tree.resolve("bin"));
        Path maven = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> '" + mavenLog + "'\n");
        Files.setPosixFilePermissions(maven, PosixFilePermissions.fromString("rwxr-xr-x"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        environment = Map.of("PATH", bin + ":" + System.getenv("PATH"), "NBD4J_JAVA", java);
    }

    @Test
    void aSourceOlderThanTheJarStartsTheServerWithoutBuilding() throws Exception {
        Files.setLastModifiedTime(source, FileTime.from(JAR_TIME.minus(Duration.ofMinutes(5))));

        ProcessResult result = version();

        assertThat(result.stdout()).startsWith("nbd4j ");
        assertThat(mavenLog).doesNotExist();
    }

    @Test
    void aSourceNewerThanTheJarIsBuiltBeforeTheServerStarts() throws Exception {
        Files.setLastModifiedTime(source, FileTime.from(JAR_TIME.plus(Duration.ofMinutes(5))));

        ProcessResult result = version();

        assertThat(result.stderr()).contains("building nbd4j-cli");
        assertThat(Files.readString(mavenLog)).contains("-pl nbd4j-cli").contains("package");
        assertThat(result.stdout()).startsWith("nbd4j ");
    }

    @Test
    void theServerHasNoChildProcessLeftFromTheSourceScan() throws Exception {
        Files.setLastModifiedTime(source, FileTime.from(JAR_TIME.minus(Duration.ofMinutes(5))));
        // A scan that has answered (closed its output) but not yet exited when the launcher is done: a real
        // find does this for a moment, long enough under load for the JVM to inherit it as a child.
        Path slowFind = Files.writeString(tree.resolve("bin/find"), "#!/bin/sh\nexec >&-\nexec sleep 30\n");
        Files.setPosixFilePermissions(slowFind, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (ServerProcess server = ServerProcess.startProgram(tree, environment,
                List.of(tree.resolve("nbd4j").toString(), "-f", "-U", tree.resolve("sock").toString(),
                        "memory", "1M"))) {
            assertThat(ProcessHandle.of(server.pid()).orElseThrow().descendants().toList()).isEmpty();
        }
        assertThat(mavenLog).doesNotExist();
    }

    private ProcessResult version() {
        ProcessResult result = Commands.run(Commands.DEFAULT_TIMEOUT, tree, environment,
                List.of(tree.resolve("nbd4j").toString(), "--version"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }
}
