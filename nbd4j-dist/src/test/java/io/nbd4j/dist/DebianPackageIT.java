package io.nbd4j.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .deb, installed by dpkg into a scratch root (its own dpkg database, maintainer scripts run with
 * DPKG_ROOT), gives /usr/bin/nbd4j that serves a disk with the package's own runtime (no JAVA_HOME, and
 * the machine's default java is too old) and the AOT cache made for that runtime, man pages that man
 * finds, and removes cleanly. A scratch root
 * leaves the machine as it was and needs no root.
 */
class DebianPackageIT {
    @TempDir
    Path root;

    @Test
    void installsAServerWithItsOwnRuntimeAndItsManPagesThenRemovesCleanly() throws Exception {
        Path deb = Path.of(System.getProperty("dist.deb"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        // libc6 is in the machine's root, not in the scratch one: its dependency is known to be met.
        String dpkg = "dpkg --root='" + root + "' --force-script-chrootless --force-not-root --force-depends ";
        Shell.run(dpkg + "-i '" + deb + "'").ok();

        Path nbd4j = root.resolve("usr/bin/nbd4j");
        assertThat(nbd4j).isExecutable();
        assertThat(root.resolve("usr/lib/nbd4j/runtime/bin/java")).isExecutable();
        String info = Shell.run("'" + nbd4j + "' -U - memory 1G --run 'nbdinfo \"$uri\"'",
                Map.of("JAVA_HOME", "/nonexistent")).ok().stdout();
        assertThat(info).contains("export-size: 1073741824");

        // The AOT caches made at build time by the package's runtime are installed and taken by that runtime,
        // the one trained on the file and nbd plugins too when the command names one of them.
        assertThat(root.resolve("usr/lib/nbd4j/app/nbd4j.aot")).isRegularFile();
        Map<String, String> aotLogged = Map.of("JAVA_HOME", "/nonexistent", "NBD4J_JVM_OPTS", "-Xlog:aot=info:stderr");
        String aotLog = Shell.run("'" + nbd4j + "' --version", aotLogged).ok().stderr();
        assertThat(aotLog).contains("Opened AOT cache " + root.resolve("usr/lib/nbd4j/app/nbd4j.aot"))
                .contains("Using AOT-linked classes: true").doesNotContain("[error]");
        // Packaging copies the jar and the caches seconds apart in any order; the cache stays the package's.
        Path app = root.resolve("usr/lib/nbd4j/app");
        Files.setLastModifiedTime(app.resolve("nbd4j-file-nbd.aot"),
                FileTime.fromMillis(Files.getLastModifiedTime(app.resolve("nbd4j.jar")).toMillis() - 5_000));
        String fileAotLog = Shell.run("'" + nbd4j + "' --version nbd", aotLogged).ok().stderr();
        assertThat(fileAotLog).contains("Opened AOT cache " + root.resolve("usr/lib/nbd4j/app/nbd4j-file-nbd.aot"))
                .contains("Using AOT-linked classes: true").doesNotContain("[error]");

        Path manLink = root.resolve("usr/share/man/man1/nbd4j-multi-conn-filter.1");
        assertThat(manLink).isSymbolicLink();
        String page = Shell.run("man -M '" + root.resolve("usr/share/man") + "' nbd4j-multi-conn-filter",
                Map.of("MANWIDTH", "80")).ok().stdout();
        assertThat(page).contains("multi-conn-mode=");

        Shell.run(dpkg + "-r nbd4j").ok();
        assertThat(nbd4j).doesNotExist();
        assertThat(manLink).doesNotExist();
        assertThat(root.resolve("usr/lib/nbd4j")).doesNotExist();
    }

    @Test
    void systemdUnitExamplesPassSystemdAnalyzeVerify() throws Exception {
        Path deb = Path.of(System.getProperty("dist.deb"));
        Shell.run("dpkg-deb -x '" + deb + "' '" + root + "'").ok();
        // The units name /usr/bin/nbd4j; verify checks that ExecStart is executable, so point it at the
        // unpacked launcher. Documentation= is not checked: man would look in the machine's root.
        Path units = Files.createDirectories(root.resolve("units"));
        for (String unit : new String[] {"nbd4j.socket", "nbd4j@.service"}) {
            String text = Files.readString(root.resolve("usr/lib/nbd4j/systemd").resolve(unit));
            Files.writeString(units.resolve(unit), text.replace("/usr/bin/nbd4j", root + "/usr/bin/nbd4j"));
        }
        Shell.Result verify = Shell.run("systemd-analyze verify --man=no '" + units + "/nbd4j.socket' '"
                + units + "/nbd4j@.service'");
        assertThat(verify.stderr()).as("systemd-analyze verify").isEmpty();
        assertThat(verify.status()).isZero();
    }
}
