package io.nbd4j.interop;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real S3 server for the tests: S3Proxy (its runnable jar, copied by Maven into {@code target/s3proxy})
 * with an in-memory store, in its own JVM on 127.0.0.1, path-style requests and v4 signatures. The test
 * that starts it closes it. {@link #client()} looks into the buckets with the AWS SDK.
 *
 * <p>Threads: started and closed by one test thread; the SDK client is thread-safe.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "nbd4j-test-access-key";
    /** Distinctive, so a test can grep every output for it. */
    static final String SECRET_KEY = "SeCrEt-8d41c6f0-never-logged";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final S3Client client;

    private S3ProxyServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    static S3ProxyServer start(Path dir) {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("S3Proxy's jar is missing (" + jar + "): run the tests through Maven, which copies it into target/s3proxy");
        }
        int port = LocalPorts.free();
        try {
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient",
                    "jclouds.identity=unused",
                    "jclouds.credential=unused", ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                    "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            LocalPorts.awaitListening(port, process, START_TIMEOUT, "S3Proxy");
            return new S3ProxyServer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        }
    }

    int port() {
        return port;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    S3Client client() {
        return client;
    }

    void createBucket(String name) {
        client.createBucket(b -> b.bucket(name));
    }

    /** Key and size of every object in the bucket, in key order. */
    Map<String, Long> objects(String bucket) {
        Map<String, Long> objects = new java.util.TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            objects.put(o.key(), o.size());
        }
        return objects;
    }

    /**
     * The environment a server needs to use this store through the SDK's default chain: the keys in the
     * environment, a region, and nothing read from the machine's own AWS files or metadata service.
     */
    static Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", "/nonexistent/nbd4j-test", "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/nbd4j-test");
    }

    /** The plugin arguments for a disk of {@code size} bytes in objects of {@code objectSize}, through {@code endpoint}. */
    static List<String> diskArgs(URI endpoint, String bucket, String key, String size, String objectSize) {
        return List.of("s3", "endpoint-url=" + endpoint, "bucket=" + bucket, "key=" + key,
                "size=" + size, "object-size=" + objectSize);
    }

    @Override
    public void close() {
        client.close();
        LocalPorts.stop(process);
    }
}
