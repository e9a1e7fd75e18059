package io.nbd4j.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code s3} plugin, found by name by {@code ./nbd4j}, against a real S3 server (S3Proxy), driven by
 * libnbd's clients. Each test uses a bucket of its own on one S3Proxy shared by the class.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class S3PluginTest {
    private static final int K64 = 64 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** Python that runs one statement and prints the errno name it failed with, or "succeeded". */
    private static final String PRINT_ERRNO_OF = """
            try:
                %s
                print("succeeded")
            except nbd.Error as e:
                print(e.errno)
            """;

    @TempDir
    static Path storeDir;
    private static S3ProxyServer store;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStore() {
        store = S3ProxyServer.start(storeDir);
    }

    @AfterAll
    static void stopStore() {
        if (store != null) {
            store.close();
        }
    }

    private static String newBucket() {
        String name = "nbd4j-test-" + BUCKETS.incrementAndGet();
        store.createBucket(name);
        return name;
    }

    private static String[] disk(String bucket, String key, String size, String objectSize, String... more) {
        List<String> args = new ArrayList<>(S3ProxyServer.diskArgs(store.endpoint(), bucket, key, size, objectSize));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private ServerProcess serve(Path where, String... args) {
        return ServerProcess.start(Server.NBD4J, where, S3ProxyServer.environment(), args);
    }

    @Test
    void writesSpanningObjectsReadBackAndAreStoredInNbdkitsLayout() {
        String bucket = newBucket();
        try (ServerProcess s = serve(dir, disk(bucket, "vm/disk", "1M", "64K"))) {
            String out = Clients.nbdsh(s.uri(),
                    "data = bytes(range(251)) * 400",
                    "h.pwrite(data, 60000)",
                    "h.flush()",
                    "print(h.pread(len(data), 60000) == data, h.pread(4, 59996) == bytes(4))",
                    "print(h.can_multi_conn(), h.can_fua(), h.can_trim(), h.can_zero(), h.get_block_size(1))");

            assertThat(out.lines()).containsExactly("True True", "True True True True 65536");
        }
        assertThat(store.objects(bucket)).containsExactly(
                Map.entry("vm/disk/0000000000000000", (long) K64),
                Map.entry("vm/disk/0000000000000001", (long) K64),
                Map.entry("vm/disk/0000000000000002", (long) K64));
    }

    @Test
    void absentObjectsReadAsZeroesAndAreReportedAsHoles() {
        String bucket = newBucket();
        try (ServerProcess s = serve(dir, disk(bucket, "sparse", "1M", "64K"))) {
            String out = Clients.nbdsh(List.of("--base-allocation", "-u", s.uri()),
                    "h.pwrite(b'\\x07' * 65536, 131072)",
                    "print(h.pread(131072, 0) == bytes(131072))",
                    NbdshOperationsTest.PRINT_ALLOCATION_MAP);

            assertThat(out.lines()).containsExactly("True", "0 131072 3", "131072 65536 0", "196608 851968 3");
        }
    }

    @Test
    void zeroAndTrimDeleteWholeObjectsAndZeroTheRestOfPartialOnes() {
        String bucket = newBucket();
        try (ServerProcess s = serve(dir, disk(bucket, "z", "1M", "64K"))) {
            String out = Clients.nbdsh(s.uri(),
                    "h.pwrite(b'\\xff' * 262144, 0)",
                    "h.zero(131072, 32768)",
                    "h.trim(65536, 196608)",
                    "expected = b'\\xff' * 32768 + bytes(131072) + b'\\xff' * 32768 + bytes(65536)",
                    "print(h.pread(262144, 0) == expected)");

            assertThat(out.strip()).isEqualTo("True");
        }
        assertThat(store.objects(bucket)).containsOnlyKeys("z/0000000000000000", "z/0000000000000002");
    }

    @Test
    void diskWrittenByNbdkitIsReadByNbd4jAndTheOtherWayRound() throws IOException {
        String bucket = newBucket();
        Path image = dir.resolve("image");
        byte[] random = new byte[5 * K64];
        new Random(11).nextBytes(random);
        Files.write(image, random);
        Path back = dir.resolve("back");

        ProcessResult written = ServerProcess.captive(Server.NBDKIT, S3ProxyServer.environment(),
                List.of("S3", "endpoint-url=" + store.endpoint(), "bucket=" + bucket, "key=by-nbdkit",
                        "size=1M", "object-size=64K"),
                "nbdcopy " + image + " \"$uri\"");
        ProcessResult read = ServerProcess.captive(Server.NBD4J, S3ProxyServer.environment(),
                List.of(disk(bucket, "by-nbdkit", "1M", "64K")), "nbdcopy \"$uri\" " + back);
        assertThat(written.exitCode()).as(written.toString()).isZero();
        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(Files.readAllBytes(back)).startsWith(random).hasSize(1 << 20);

        Files.delete(back);
        ProcessResult ours = ServerProcess.captive(Server.NBD4J, S3ProxyServer.environment(),
                List.of(disk(bucket, "by-nbd4j", "1M", "64K")), "nbdcopy " + image + " \"$uri\"");
        ProcessResult theirs = ServerProcess.captive(Server.NBDKIT, S3ProxyServer.environment(),
                List.of("S3", "endpoint-url=" + store.endpoint(), "bucket=" + bucket, "key=by-nbd4j",
                        "size=1M", "object-size=64K"),
                "nbdcopy \"$uri\" " + back);
        assertThat(ours.exitCode()).as(ours.toString()).isZero();
        assertThat(theirs.exitCode()).as(theirs.toString()).isZero();
        assertThat(Files.readAllBytes(back)).startsWith(random).hasSize(1 << 20);
    }

    @Test
    void keyWithoutSizeServesThatObjectReadOnly() throws IOException {
        String bucket = newBucket();
        byte[] random = new byte[300_001];
        new Random(3).nextBytes(random);
        store.client().putObject(b -> b.bucket(bucket).key("images/base.raw"), RequestBody.fromBytes(random));
        Path back = dir.resolve("back");

        ProcessResult r = ServerProcess.captive(Server.NBD4J, S3ProxyServer.environment(),
                List.of("s3", "endpoint-url=" + store.endpoint(), "bucket=" + bucket, "key=images/base.raw"),
                "nbdsh -u \"$uri\" -c 'print(h.get_size(), h.is_read_only())' && nbdcopy \"$uri\" " + back);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("300001 True");
        assertThat(Files.readAllBytes(back)).isEqualTo(random);
    }

    @Test
    void objectOfTheWrongSizeIsAnIoErrorNamingItsKey() {
        String bucket = newBucket();
        store.client().putObject(b -> b.bucket(bucket).key("odd/0000000000000001"), RequestBody.fromBytes(new byte[1000]));
        try (ServerProcess s = serve(dir, disk(bucket, "odd", "1M", "64K"))) {
            String out = Clients.nbdsh(s.uri(),
                    "print(h.pread(16, 0) == bytes(16))",
                    PRINT_ERRNO_OF.formatted("h.pread(16, 65536)"));

            assertThat(out.lines()).containsExactly("True", "EIO");
            assertThat(s.stderr()).contains("odd/0000000000000001").contains("1000 bytes, expected 65536");
        }
    }

    @Test
    void missingBucketFailsAtStartWithAClearMessage() {
        ProcessResult r = startAndFail(List.of(disk("nbd4j-no-such-bucket", "d", "1M", "64K")), S3ProxyServer.environment());

        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("bucket nbd4j-no-such-bucket does not exist"));
    }

    @Test
    void refusedCredentialsFailAtStartWithAClearMessage() {
        String bucket = newBucket();
        Map<String, String> env = new java.util.HashMap<>(S3ProxyServer.environment());
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");

        ProcessResult r = startAndFail(List.of(disk(bucket, "d", "1M", "64K")), env);

        assertThat(r.stderrLines()).filteredOn(l -> l.startsWith("nbd4j: error:")).singleElement()
                .satisfies(l -> assertThat(l).contains("access to bucket " + bucket + " denied"));
    }

    private ProcessResult startAndFail(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("-f", "-U", dir.resolve("sock").toString()));
        command.addAll(args);
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, env, Server.NBD4J.command(command));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        return r;
    }

    @Test
    void secretsAppearInNoLogDumpOrError() {
        String bucket = newBucket();
        String token = "SeSsIoN-token-4e2b9a";
        Map<String, String> noKeys = Map.of("AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true");
        List<String> credentials = List.of("access-key=" + S3ProxyServer.ACCESS_KEY,
                "secret-key=" + S3ProxyServer.SECRET_KEY, "session-token=" + token);
        List<String> args = new ArrayList<>(List.of(disk(bucket, "secret", "1M", "64K")));
        args.addAll(credentials);
        List<String> verbose = new ArrayList<>(List.of("-v"));
        verbose.addAll(args);
        List<String> badBucket = new ArrayList<>(List.of(disk("nbd4j-no-such-bucket", "d", "1M", "64K")));
        badBucket.addAll(credentials);
        List<String> dump = new ArrayList<>(args);
        dump.add("--dump-plugin");

        List<ProcessResult> runs = List.of(
                // S3Proxy checks no session token, so these credentials work for the writes below.
                ServerProcess.captive(Server.NBD4J, noKeys, verbose,
                        "nbdsh -u \"$uri\" -c 'h.pwrite(b\"x\" * 70000, 1000); h.flush(); h.pread(70000, 0)'"),
                Commands.run(Commands.DEFAULT_TIMEOUT, null, noKeys, Server.NBD4J.command(dump)),
                ServerProcess.captive(Server.NBD4J, noKeys, badBucket, "true"),
                ServerProcess.captive(Server.NBD4J, noKeys, List.of("s3", "bucket=" + bucket, "key=k",
                        "size=1M", "object-size=3", "secret-key=" + S3ProxyServer.SECRET_KEY), "true"));

        assertThat(runs.getFirst().exitCode()).as(runs.getFirst().toString()).isZero();
        assertThat(runs.get(1).exitCode()).as(runs.get(1).toString()).isZero();
        assertThat(runs.get(2).exitCode()).as(runs.get(2).toString()).isEqualTo(1);
        assertThat(runs.get(3).exitCode()).as(runs.get(3).toString()).isEqualTo(1);
        for (ProcessResult r : runs) {
            assertThat(r.stdout() + r.stderr()).as(r.toString())
                    .doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(token);
        }
        assertThat(runs.getFirst().stderr()).as("-v logs the requests").contains("WRITE flags 0x0 offset 1000 length 70000");
    }

    @Test
    void twoServersOverOneBucketSeeWhatTheOtherFlushed() throws IOException {
        String bucket = newBucket();
        Path second = Files.createDirectory(dir.resolve("b"));
        try (ServerProcess a = serve(dir, disk(bucket, "shared", "1M", "64K"));
             ServerProcess b = serve(second, disk(bucket, "shared", "1M", "64K"))) {
            Clients.nbdsh(a.uri(), "h.pwrite(b'from a' * 20000, 5000)", "h.flush()");
            String seenByB = Clients.nbdsh(b.uri(), "print(h.pread(120000, 5000) == b'from a' * 20000)",
                    "h.pwrite(b'from b', 3)", "h.flush()");
            String seenByA = Clients.nbdsh(a.uri(), "print(h.pread(12, 0) == b'\\0\\0\\0from b\\0\\0\\0')");

            assertThat(seenByB.strip()).isEqualTo("True");
            assertThat(seenByA.strip()).isEqualTo("True");
        }
    }

    @Test
    void stalledStoreMakesARequestFailInsteadOfHanging() {
        String bucket = newBucket();
        try (FaultyProxy proxy = new FaultyProxy(store.port());
             ServerProcess s = ServerProcess.start(Server.NBD4J, dir, S3ProxyServer.environment(),
                     "s3", "endpoint-url=http://127.0.0.1:" + proxy.port(), "bucket=" + bucket, "key=stall",
                     "size=1M", "object-size=64K", "timeout=1", "retries=1")) {
            proxy.mode(FaultyProxy.Mode.STALL);
            // The command's own deadline (Commands.DEFAULT_TIMEOUT) fails the test if the read hangs.
            String out = Clients.nbdsh(s.uri(),
                    PRINT_ERRNO_OF.formatted("h.pread(4096, 0)"));

            assertThat(out.strip()).isEqualTo("EIO");
            proxy.mode(FaultyProxy.Mode.FORWARD);
            assertThat(Clients.nbdsh(s.uri(), "print(h.pread(4, 0) == bytes(4))").strip()).isEqualTo("True");
        }
    }

    @Test
    void noAcknowledgedWriteIsLostWhileTheStoreRefusesForAWhile() throws Exception {
        String bucket = newBucket();
        try (FaultyProxy proxy = new FaultyProxy(store.port());
             ServerProcess s = ServerProcess.start(Server.NBD4J, dir, S3ProxyServer.environment(),
                     "s3", "endpoint-url=http://127.0.0.1:" + proxy.port(), "bucket=" + bucket, "key=outage",
                     "size=1M", "object-size=64K", "timeout=5", "retries=8")) {
            Clients.nbdsh(s.uri(), "h.pwrite(b'before' * 20000, 0)", "h.flush()");
            proxy.mode(FaultyProxy.Mode.REFUSE);
            // The outage lasts about a second; the server's retries (up to 8, with backoff) outlast it.
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                proxy.mode(FaultyProxy.Mode.FORWARD);
            });
            String during = Clients.nbdsh(s.uri(), "h.pwrite(b'during' * 20000, 200000)", "h.flush()", "print('acknowledged')");
            assertThat(during.strip()).isEqualTo("acknowledged");
        }
        try (ServerProcess direct = serve(dir, disk(bucket, "outage", "1M", "64K"))) {
            String out = Clients.nbdsh(direct.uri(),
                    "print(h.pread(120000, 0) == b'before' * 20000, h.pread(120000, 200000) == b'during' * 20000)");
            assertThat(out.strip()).isEqualTo("True True");
        }
    }

    @Test
    void writeThatOutlastsTheRetriesFailsAndLeavesAcknowledgedDataIntact() {
        String bucket = newBucket();
        Path metrics = dir.resolve("metrics.sock");
        try (FaultyProxy proxy = new FaultyProxy(store.port());
             ServerProcess s = ServerProcess.start(Server.NBD4J, dir, S3ProxyServer.environment(), "--metrics=" + metrics,
                     "s3", "endpoint-url=http://127.0.0.1:" + proxy.port(), "bucket=" + bucket, "key=lost",
                     "size=1M", "object-size=64K", "timeout=2", "retries=2")) {
            Clients.nbdsh(s.uri(), "h.pwrite(b'kept' * 16384, 0)", "h.flush()");
            proxy.mode(FaultyProxy.Mode.REFUSE);
            String failed = Clients.nbdsh(s.uri(),
                    PRINT_ERRNO_OF.formatted("h.pwrite(b'gone' * 16384, 0)"));
            proxy.mode(FaultyProxy.Mode.FORWARD);
            String after = Clients.nbdsh(s.uri(), "print(h.pread(65536, 0) == b'kept' * 16384)");

            assertThat(failed.strip()).isEqualTo("EIO");
            assertThat(after.strip()).isEqualTo("True");
            // the failed write's request was tried three times: two retries, at least
            String scrape = Commands.runOk(List.of("curl", "-sf", "--unix-socket", metrics.toString(), "http://localhost/metrics")).stdout();
            assertThat(scrape.lines().filter(l -> l.startsWith("nbd4j_s3_retries_total "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum()).isGreaterThanOrEqualTo(2);
        }
    }
}
