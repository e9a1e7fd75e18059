package io.nbd4j.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nbd4j-VERSION.tar.gz unpacked anywhere is a working installation: its launcher finds a Java 25 and the
 * jar, makes an AOT cache for that Java on first use, serves a disk (in the foreground and detached),
 * finds the plugins shipped as jars of their own, and man finds the pages under share/man.
 */
class TarballInstallIT {
    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void unpack() {
        Path tarball = Path.of(System.getProperty("dist.tarball"));
        Shell.run("tar -xzf '" + tarball + "' -C '" + dir + "'").ok();
        home = dir.resolve("nbd4j-" + System.getProperty("nbd4j.version"));
    }

    /**
     * The JDK running the tests is the one the launcher must find: the machine's default java is older.
     * The AOT cache the launcher makes on first use goes to a cache directory of the test's own.
     */
    private static Map<String, String> withJavaHome() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"), "XDG_CACHE_HOME", dir.resolve("cache").toString());
    }

    @Test
    void launcherMakesAotCachesForTheUsersJdkOnFirstUseAndStartsWithTheOneForThePlugin() throws Exception {
        Path cacheHome = dir.resolve("first-use-cache");
        Map<String, String> environment = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "XDG_CACHE_HOME", cacheHome.toString(), "NBD4J_JVM_OPTS", "-Xlog:aot=info:stderr");

        Shell.run("'" + home + "/bin/nbd4j' --version", environment).ok();
        List<String> caches;
        try (var files = Files.list(cacheHome.resolve("nbd4j"))) {
            caches = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        String memoryCache = caches.stream().filter(n -> !n.endsWith("-file-nbd.aot")).findFirst().orElseThrow();
        String fileCache = memoryCache.replaceFirst("\\.aot$", "-file-nbd.aot");
        assertThat(memoryCache).endsWith(".aot");
        assertThat(caches).containsExactlyInAnyOrder(memoryCache, fileCache);

        String second = Shell.run("'" + home + "/bin/nbd4j' --version", environment).ok().stderr();
        assertThat(second).contains("Opened AOT cache " + cacheHome.resolve("nbd4j").resolve(memoryCache))
                .contains("Using AOT-linked classes: true").doesNotContain("[error]");
        String file = Shell.run("'" + home + "/bin/nbd4j' --version file", environment).ok().stderr();
        assertThat(file).contains("Opened AOT cache " + cacheHome.resolve("nbd4j").resolve(fileCache))
                .contains("Using AOT-linked classes: true").doesNotContain("[error]");
    }

    @Test
    void holdsTheLauncherTheJarsThePagesAndTheUnitExamples() {
        assertThat(home.resolve("bin/nbd4j")).isExecutable();
        assertThat(home.resolve("lib/nbd4j.jar")).isRegularFile();
        assertThat(home.resolve("lib/train-aot-cache")).isExecutable();
        assertThat(home.resolve("lib/plugins/nbd4j-plugin-s3.jar")).isRegularFile();
        assertThat(home.resolve("lib/plugins/nbd4j-plugin-ssh.jar")).isRegularFile();
        assertThat(home.resolve("lib/plugins/nbd4j-filter-luks.jar")).isRegularFile();
        assertThat(home.resolve("lib/plugins/nbd4j-filter-tar.jar")).isRegularFile();
        assertThat(home.resolve("share/man/man1/nbd4j.1")).isRegularFile();
        assertThat(home.resolve("share/man/man1/nbd4j-memory-plugin.1")).isRegularFile();
        assertThat(home.resolve("share/man/man3/nbd4j-plugin.3")).isRegularFile();
        assertThat(home.resolve("share/nbd4j/systemd/nbd4j.socket")).isRegularFile();
        assertThat(home.resolve("share/nbd4j/systemd/nbd4j@.service")).isRegularFile();
    }

    @Test
    void launcherServesADiskToACaptiveCommand() {
        String out = Shell.run("'" + home + "/bin/nbd4j' -U - memory 1G --run 'nbdinfo --size \"$uri\"'",
                withJavaHome()).ok().stdout();
        assertThat(out.strip()).isEqualTo("1073741824");
    }

    @Test
    void launcherDetachesOnceTheServerListensAndWroteItsPidfile() throws Exception {
        Path socket = dir.resolve("detached.sock");
        Path pidfile = dir.resolve("detached.pid");
        Shell.run("'" + home + "/bin/nbd4j' -U '" + socket + "' -P '" + pidfile + "' memory 1M",
                withJavaHome()).ok();
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        try {
            String size = Shell.run("nbdinfo --size 'nbd+unix:///?socket=" + socket + "'").ok().stdout();
            assertThat(size.strip()).isEqualTo("1048576");
        } finally {
            ProcessHandle.of(pid).ifPresent(server -> {
                server.destroy();
                server.onExit().join();
            });
        }
    }

    @Test
    void pluginsShippedAsJarsAreFoundBesideTheMainJar() {
        String config = Shell.run("'" + home + "/bin/nbd4j' --dump-config", withJavaHome()).ok().stdout();
        assertThat(config).contains("plugindir=" + home.resolve("lib/plugins"));
        String help = Shell.run("'" + home + "/bin/nbd4j' s3 --help", withJavaHome()).ok().stdout();
        assertThat(help).contains("s3 plugin").contains("bucket=BUCKET");
    }

    @Test
    void aFilterShippedAsAJarServesFromBesideTheMainJar() throws Exception {
        Path archived = dir.resolve("archived");
        Files.createDirectories(archived);
        Files.write(archived.resolve("disk.img"), new byte[12345]);
        Shell.run("tar -cf '" + dir.resolve("disk.tar") + "' -C '" + archived + "' disk.img").ok();

        String size = Shell.run("'" + home + "/bin/nbd4j' -r -U - --filter=tar file '" + dir.resolve("disk.tar")
                + "' tar-entry=disk.img --run 'nbdinfo --size \"$uri\"'", withJavaHome()).ok().stdout();

        assertThat(size.strip()).isEqualTo("12345");
    }

    @Test
    void manFindsThePagesUnderShareMan() {
        String page = Shell.run("man -M '" + home + "/share/man' nbd4j-multi-conn-filter",
                Map.of("MANWIDTH", "80")).ok().stdout();
        assertThat(page).contains("nbd4j-multi-conn-filter").contains("multi-conn-mode=");
    }
}
