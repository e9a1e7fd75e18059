package io.nbd4j.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ssh} plugin, found by name by {@code ./nbd4j}, against Debian's OpenSSH server on 127.0.0.1,
 * driven by libnbd's clients. The remote files are local files of the test, so the test checks them
 * directly.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class SshPluginTest {
    @TempDir
    static Path serverDir;
    private static OpenSshServer sshd;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        sshd = OpenSshServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void readsWritesAndFlushesARemoteFile() throws IOException {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, sshd.pluginArgs(disk).toArray(String[]::new))) {
            String out = Clients.nbdsh(s.uri(),
                    "h.pwrite(b'over sftp' * 1000, 4000)",
                    "h.flush()",
                    "print(h.get_size(), h.can_flush(), h.pread(9, 4000).decode())");

            assertThat(out.strip()).isEqualTo("1048576 True over sftp");
        }
        byte[] local = Files.readAllBytes(disk);
        assertThat(new String(local, 4000, 18)).isEqualTo("over sftpover sftp");
    }

    @Test
    void nbdcopyRoundTripsRandomDataInParallelRequests() throws IOException {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[4 << 20]);
        byte[] random = new byte[4 << 20];
        new Random(5).nextBytes(random);
        Path source = dir.resolve("source");
        Files.write(source, random);
        Path back = dir.resolve("back");

        ProcessResult r = ServerProcess.captive(Server.NBD4J, sshd.pluginArgs(disk),
                "nbdcopy --requests=16 " + source + " \"$uri\" && nbdcopy \"$uri\" " + back);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(disk)).isEqualTo(random);
        assertThat(Files.readAllBytes(back)).isEqualTo(random);
    }

    @Test
    void createMakesASparseFileOfCreateSizeWithCreateMode() throws IOException {
        Path disk = dir.resolve("new.img");
        Files.writeString(disk, "old content is replaced");

        ProcessResult r = ServerProcess.captive(Server.NBD4J,
                sshd.pluginArgs(disk, "create=true", "create-size=3M", "create-mode=0640"),
                "nbdsh -u \"$uri\" -c 'print(h.get_size(), h.pread(8, 0) == bytes(8))'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("3145728 True");
        assertThat(Files.size(disk)).isEqualTo(3 << 20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(disk))).isEqualTo("rw-r-----");
    }

    @Test
    void readOnlyServerRefusesWrites() throws IOException {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[65536]);
        List<String> args = new ArrayList<>(List.of("-r"));
        args.addAll(sshd.pluginArgs(disk));

        ProcessResult r = ServerProcess.captive(Server.NBD4J, args, "nbdsh -u \"$uri\" -c 'print(h.is_read_only())'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("True");
    }

    @Test
    void unknownHostKeyIsRefusedAtStartAndAcceptedOnlyWhenVerificationIsOff() throws IOException {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[65536]);
        Path emptyKnownHosts = Files.createFile(dir.resolve("empty_known_hosts"));
        List<String> strict = new ArrayList<>(sshd.pluginArgs(disk, "known-hosts=" + emptyKnownHosts));
        strict.remove("known-hosts=" + sshd.knownHosts());
        List<String> unverified = new ArrayList<>(strict);
        unverified.add("verify-remote-host=false");

        ProcessResult refused = ServerProcess.captive(Server.NBD4J, strict, "true");
        ProcessResult accepted = ServerProcess.captive(Server.NBD4J, unverified, "nbdinfo --size \"$uri\"");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("host key is not in").contains(emptyKnownHosts.toString()));
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(accepted.stdout().strip()).isEqualTo("65536");
    }

    @Test
    void refusedLoginFailsAtStartWithoutShowingThePassword() throws IOException {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[65536]);
        Path strangerKey = dir.resolve("stranger");
        Commands.runOk(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", strangerKey.toString()));
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "PaSsWoRd-never-shown\n");
        List<String> args = new ArrayList<>(sshd.pluginArgs(disk, "password=+" + passwordFile));
        args.set(args.indexOf("identity=" + sshd.userKey()), "identity=" + strangerKey);

        ProcessResult r = ServerProcess.captive(Server.NBD4J, args, "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("authentication failed"));
        assertThat(r.stdout() + r.stderr()).doesNotContain("PaSsWoRd-never-shown");
    }

    @Test
    void missingRemoteFileFailsAtStart() {
        ProcessResult r = ServerProcess.captive(Server.NBD4J, sshd.pluginArgs(dir.resolve("absent.img")), "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("absent.img"));
    }
}
