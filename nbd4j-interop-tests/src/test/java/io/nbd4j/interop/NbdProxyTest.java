package io.nbd4j.interop;

import io.nbd4j.interop.TestCertificates.KeyForm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code nbd} plugin of each server (nbd4j's and nbdkit's, same command line) in front of real
 * upstream servers: nbdkit's memory plugin, qemu-nbd, and nbd4j itself. What comes through the proxy
 * must be byte for byte what the upstream holds, by nbdcopy and qemu-img; TLS to the upstream and
 * socket activation ({@code command=}) work as in nbdkit; an upstream killed in the middle of a copy
 * fails that client with EIO and the proxy serves the next client once the upstream is back.
 */
class NbdProxyTest {
    private static final int SIZE_MIB = 32;

    @TempDir
    Path dir;

    private Path subdir(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private Path randomImage() throws IOException {
        Path image = dir.resolve("random.img");
        if (!Files.exists(image)) {
            NbdcopyRoundTripTest.writeRandomFile(image, SIZE_MIB);
        }
        return image;
    }

    /** Copies random data in through the proxy, then out directly from the upstream, and compares. */
    private void assertCopiesThrough(Server server, ServerProcess upstream) throws IOException {
        Path original = randomImage();
        Path copy = dir.resolve("copy.img");
        Files.deleteIfExists(copy);
        try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy"), "nbd", "socket=" + upstream.socket())) {
            Clients.nbdcopy(Duration.ofSeconds(120), original.toString(), proxy.uri());
            Clients.nbdcopy(Duration.ofSeconds(120), upstream.uri(), copy.toString());
            assertThat(Clients.qemuImg(dir, "compare", "-f", "raw", "-F", "raw", proxy.uri(), original.toString()))
                    .contains("Images are identical");
            assertThat(exportAsSeenBy(proxy)).as("nbdinfo sees the upstream's export through the proxy")
                    .isEqualTo(exportAsSeenBy(upstream));
        }
        assertThat(Files.mismatch(original, copy)).as("the upstream holds what went through the proxy").isEqualTo(-1);
    }

    /**
     * What nbdinfo says of the export but its URI and block sizes: nbd4j advertises its own block sizes
     * when the layer below names none (nbdkit's memory plugin names none), which says nothing about the proxy.
     */
    private static String exportAsSeenBy(ServerProcess server) {
        return Clients.nbdinfo("--json", server.uri()).lines()
                .filter(line -> !line.contains("\"uri\"") && !line.contains("\"block_size_"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @ServerTest
    void inFrontOfNbdkitMemoryTheDataAndTheExportAreTheUpstreams(Server server) throws IOException {
        try (ServerProcess upstream = ServerProcess.start(Server.NBDKIT, subdir("up"), "memory", SIZE_MIB + "M")) {
            assertCopiesThrough(server, upstream);
        }
    }

    @ServerTest
    void inFrontOfQemuNbdTheDataAndTheExportAreTheUpstreams(Server server) throws IOException {
        Path disk = dir.resolve("qemu.img");
        Files.write(disk, new byte[0]);
        Clients.qemuImg(dir, "resize", "-f", "raw", disk.toString(), SIZE_MIB + "M");
        Path up = subdir("up");
        try (ServerProcess upstream = ServerProcess.startProgram(up, List.of("qemu-nbd", "-f", "raw", "-t", "-k",
                up.resolve("sock").toString(), disk.toString()))) {
            assertCopiesThrough(server, upstream);
        }
    }

    @ServerTest
    void inFrontOfNbd4jMemoryTheDataAndTheExportAreTheUpstreams(Server server) throws IOException {
        try (ServerProcess upstream = ServerProcess.start(Server.NBD4J, subdir("up"), "memory", SIZE_MIB + "M")) {
            assertCopiesThrough(server, upstream);
        }
    }

    @ServerTest
    void commandStartsQemuNbdWithSocketActivationOnAQcow2Image(Server server) throws IOException {
        Path qcow2 = dir.resolve("disk.qcow2");
        Clients.qemuImg(dir, "create", "-f", "qcow2", qcow2.toString(), SIZE_MIB + "M");
        Path original = randomImage();
        try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy"), "nbd", "command=qemu-nbd",
                "arg=-f", "arg=qcow2", "arg=" + qcow2)) {
            Clients.nbdcopy(Duration.ofSeconds(120), original.toString(), proxy.uri());
        }
        assertThat(Clients.qemuImg(dir, "compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), original.toString()))
                .contains("Images are identical");
    }

    @ServerTest
    void tlsToTheUpstreamWithItsCaAndNotWithoutIt(Server server) throws IOException {
        Path pki = TestCertificates.create(subdir("pki"), KeyForm.PKCS8_RSA);
        Path strangers = TestCertificates.create(subdir("other-pki"), KeyForm.PKCS8_RSA);
        try (ServerProcess upstream = ServerProcess.start(Server.NBDKIT, subdir("up"), "--tls=require",
                "--tls-certificates=" + pki, "memory", "1M")) {
            try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy"), "nbd", "socket=" + upstream.socket(),
                    "tls=require", "tls-certificates=" + pki)) {
                assertThat(Clients.nbdinfo("--size", proxy.uri()).strip()).isEqualTo("1048576");
            }
            try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy-uri"), "nbd",
                    "nbds+unix:///?socket=" + upstream.socket(), "tls-certificates=" + pki)) {
                assertThat(Clients.nbdinfo("--size", proxy.uri()).strip()).isEqualTo("1048576");
            }
            if (server == Server.NBD4J) {
                // nbdkit (libnbd) checks certificates on TCP only; nbd4j checks them on Unix sockets too (README).
                try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy-wrong-ca"), "nbd",
                        "socket=" + upstream.socket(), "tls=require", "tls-certificates=" + strangers)) {
                    ProcessResult refused = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", "--size", proxy.uri()));
                    assertThat(refused.exitCode()).as("a server signed by an unknown CA is refused: %s", refused).isNotZero();
                }
            }
        }
    }

    @ServerTest
    void aClientCertificateIsPresentedWhenTheUpstreamDemandsOne(Server server) throws IOException {
        Path pki = TestCertificates.create(subdir("pki"), KeyForm.PKCS8_RSA);
        Path caOnly = TestCertificates.caOnly(pki, dir.resolve("ca-only"));
        try (ServerProcess upstream = ServerProcess.start(Server.NBD4J, subdir("up"), "--tls=require",
                "--tls-certificates=" + pki, "--tls-verify-peer", "memory", "1M")) {
            try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy"), "nbd", "socket=" + upstream.socket(),
                    "tls=require", "tls-certificates=" + pki)) {
                assertThat(Clients.nbdinfo("--size", proxy.uri()).strip()).isEqualTo("1048576");
            }
            try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy-no-cert"), "nbd",
                    "socket=" + upstream.socket(), "tls=require", "tls-certificates=" + caOnly)) {
                ProcessResult refused = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", "--size", proxy.uri()));
                assertThat(refused.exitCode()).as("no client certificate, no export: %s", refused).isNotZero();
            }
        }
    }

    /**
     * nbd4j only: the requirement is ours, and nbdkit 1.32's proxy, run the same way, once refused the next
     * client here (its listening socket was gone), which would make the test fail for nbdkit's sake.
     */
    @Test
    void anUpstreamKilledMidCopyFailsTheClientWithEioAndTheNextClientIsServedOnceItIsBack()
            throws IOException, InterruptedException {
        Assumptions.assumeTrue(Server.nbd4jSelected(), "nbd4j is not among -D" + Server.SELECTION_PROPERTY);
        Server server = Server.NBD4J;
        Path up = subdir("up");
        Path out = dir.resolve("out.img");
        // Slow reads keep the copy going long enough to kill the upstream under it.
        String[] slowDisk = {"--filter=delay", "pattern", SIZE_MIB + "M", "rdelay=20ms"};
        ServerProcess upstream = ServerProcess.start(Server.NBDKIT, up, slowDisk);
        try (ServerProcess proxy = ServerProcess.start(server, subdir("proxy"), "nbd", "socket=" + upstream.socket())) {
            // One connection: with several, one could still be connecting when the upstream dies.
            Process copy = Commands.builder(List.of("nbdcopy", "--connections=1", proxy.uri(), out.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nbdcopy.txt").toFile()).start();
            awaitFileGrows(out, copy);
            upstream.killNow();
            assertThat(copy.waitFor(60, TimeUnit.SECONDS)).as("nbdcopy ends once its server fails").isTrue();
            assertThat(copy.exitValue()).isNotZero();
            // (nbdkit 1.32's plugin passes on libnbd's "not connected" as EINVAL; nbd4j says EIO.)
            assertThat(Files.readString(dir.resolve("nbdcopy.txt"))).contains("Input/output error");
            proxy.assertAlive();

            Files.deleteIfExists(up.resolve("sock"));
            try (ServerProcess restarted = ServerProcess.start(Server.NBDKIT, up, "memory", "1M")) {
                assertThat(Clients.nbdinfo("--size", proxy.uri()).strip()).isEqualTo("1048576");
            }
        }
    }

    /** Waits until nbdcopy has written something, so the copy is under way; fails if it ends first. */
    private static void awaitFileGrows(Path file, Process copy) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file) || Files.size(file) == 0) {
            assertThat(copy.isAlive()).as("nbdcopy still copying").isTrue();
            assertThat(System.nanoTime()).as("nbdcopy started writing within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
