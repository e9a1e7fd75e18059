package io.nbd4j.plugins.s3;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;
import software.amazon.awssdk.core.util.VersionInfo;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code s3} plugin: a disk stored in an S3 bucket as objects of {@code object-size} bytes (nbdkit's
 * layout), or one existing object served read-only. See the package documentation for the parameters.
 *
 * <p>Threads: configuration runs on the main thread; {@link #open} runs on connection threads once
 * {@link #getReady} has built the client and the shared disk, which do not change afterwards.
 */
public final class S3Plugin implements Plugin {
    static final int MAX_OBJECT_SIZE = 64 << 20;
    private static final int DEFAULT_CONNECTIONS = 32;
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;
    private static final int DEFAULT_RETRIES = 8;

    static {
        // -v turns every logger to debug; the SDK's request traces would drown ours and say nothing useful.
        for (String noisy : List.of("software.amazon.awssdk", "org.apache.hc")) {
            System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log." + noisy, "info");
        }
    }

    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("bucket", "BUCKET", "the bucket holding the disk (required)"),
            new Parameter("key", "KEY", "the object to serve read-only, or with size= the prefix of the disk's objects (required)"),
            new Parameter("size", "SIZE", "disk size, a multiple of object-size: store the disk as objects KEY/%016x"),
            new Parameter("object-size", "SIZE", "size of each object, up to 64M (with size=)"),
            new Parameter("endpoint-url", "URL", "endpoint of an S3-compatible store (Ceph, MinIO, S3Proxy …)", List.of("endpoint_url")),
            new Parameter("region", "REGION", "the region (default: AWS_REGION, the profile's region, or us-east-1)"),
            new Parameter("path-style", "true|false", "name the bucket in the path, not the host (default: true with endpoint-url)"),
            new Parameter("access-key", "KEY", "access key id; prefer AWS_PROFILE or ~/.aws/credentials", List.of("access_key")),
            new Parameter("secret-key", "KEY", "secret access key; prefer AWS_PROFILE or ~/.aws/credentials", List.of("secret_key")),
            new Parameter("session-token", "TOKEN", "session token of temporary credentials", List.of("session_token")),
            new Parameter("connections", "N", "HTTP connections, and so requests in flight, to the store (default " + DEFAULT_CONNECTIONS + ")"),
            new Parameter("timeout", "SECS", "how long one attempt of a request may take (default " + DEFAULT_TIMEOUT_SECONDS + ")"),
            new Parameter("retries", "N", "retries of a throttled, failed or timed-out request, with backoff (default " + DEFAULT_RETRIES + ")"));

    private String bucketName;
    private String key;
    private long size = -1;
    private long objectSize = -1;
    private URI endpoint;
    private String region;
    private Boolean pathStyle;
    private String accessKey;
    private String secretKey;
    private String sessionToken;
    private int connections = DEFAULT_CONNECTIONS;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private int retries = DEFAULT_RETRIES;
    private final RetryCounter retryCounter = new RetryCounter();

    private S3Settings settings;
    private Bucket bucket;
    private ObjectDisk disk;
    private long singleObjectSize;

    @Override public String name() { return "s3"; }
    @Override public String description() { return "a disk in an S3 bucket, stored as fixed-size objects (nbdkit's S3 layout)"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "bucket" -> bucketName = nonEmpty(key, value);
            case "key" -> this.key = nonEmpty(key, value);
            case "size" -> size = Values.parseSize(key, value);
            case "object-size" -> objectSize = Values.parseSize(key, value);
            case "endpoint-url", "endpoint_url" -> endpoint = endpoint(value);
            case "region" -> region = nonEmpty(key, value);
            case "path-style" -> pathStyle = Values.parseBool(key, value);
            // Never echo a credential in a message: the key name is enough to find the mistake.
            case "access-key", "access_key" -> accessKey = nonEmpty("access-key", value);
            case "secret-key", "secret_key" -> secretKey = nonEmpty("secret-key", value);
            case "session-token", "session_token" -> sessionToken = nonEmpty("session-token", value);
            case "connections" -> connections = positive(key, value, 1024);
            case "timeout" -> timeoutSeconds = positive(key, value, 3600);
            case "retries" -> retries = count(key, value);
            default -> throw new ConfigException("s3: unknown parameter '" + key + "' (accepted: bucket, key, size, "
                    + "object-size, endpoint-url, region, path-style, access-key, secret-key, session-token, "
                    + "connections, timeout, retries)");
        }
    }

    private static String nonEmpty(String key, String value) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException("s3: " + key + "= must not be empty");
        }
        return value;
    }

    private static URI endpoint(String value) throws ConfigException {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(value, "expected http://HOST[:PORT] or https://HOST[:PORT]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("s3: endpoint-url=" + value + " is not a URL: " + e.getReason(), e);
        }
    }

    private static int positive(String key, String value, int max) throws ConfigException {
        int n = count(key, value);
        if (n < 1 || n > max) {
            throw new ConfigException("s3: " + key + "=" + value + " must be from 1 to " + max);
        }
        return n;
    }

    private static int count(String key, String value) throws ConfigException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("s3: " + key + "=" + value + " is not a whole number");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (bucketName == null || key == null) {
            throw new ConfigException("s3: bucket= and key= are required (e.g. s3 bucket=disks key=vm1 size=10G object-size=1M)");
        }
        if ((size < 0) != (objectSize < 0)) {
            throw new ConfigException("s3: size= and object-size= must be given together (without them key= names one object, served read-only)");
        }
        if (objectSize >= 0 && (objectSize < 1 || objectSize > MAX_OBJECT_SIZE)) {
            throw new ConfigException("s3: object-size must be from 1 byte to 64M, not " + objectSize);
        }
        if (size >= 0 && (size == 0 || size % objectSize != 0)) {
            throw new ConfigException("s3: size (" + size + ") must be a positive multiple of object-size (" + objectSize + ")");
        }
        if ((accessKey == null) != (secretKey == null) || sessionToken != null && accessKey == null) {
            throw new ConfigException("s3: access-key= and secret-key= must be given together (and session-token= only with them)");
        }
        if (key.endsWith("/") && size >= 0) {
            throw new ConfigException("s3: key= is the prefix of the objects and must not end with '/' (objects are named KEY/%016x)");
        }
        S3Settings.Credentials credentials = accessKey == null ? null
                : new S3Settings.Credentials(accessKey, secretKey, sessionToken);
        settings = new S3Settings(bucketName, key, size, (int) objectSize, endpoint, region,
                pathStyle != null ? pathStyle : endpoint != null, credentials, connections,
                Duration.ofSeconds(timeoutSeconds), retries);
    }

    @Override
    public void getReady(ThreadModel effective) throws Exception {
        bucket = new Bucket(S3Clients.create(settings, retryCounter), settings.bucket(), settings.connections());
        try {
            if (settings.singleObject()) {
                singleObjectSize = bucket.size(settings.key());
                if (singleObjectSize < 0) {
                    throw new ConfigException("s3: object " + settings.key() + " not found in bucket " + settings.bucket()
                            + " (to create a disk give size= and object-size=)");
                }
            } else {
                bucket.checkAccess();
                disk = new ObjectDisk(bucket, new ObjectLayout(settings.key(), settings.size(), settings.objectSize()));
            }
        } catch (IOException e) {
            bucket.close();
            throw new ConfigException(e.getMessage(), e);
        }
    }

    @Override
    public void afterStart(ServerControl server) {
        retryCounter.publishTo(server.metrics());
    }

    @Override
    public Handle open(OpenRequest request) {
        return settings.singleObject()
                ? new SingleObjectHandle(bucket, settings.key(), singleObjectSize)
                : new ObjectDiskHandle(disk, request.readOnly());
    }

    @Override
    public void unload() {
        if (bucket != null) {
            bucket.close();
        }
    }

    @Override
    public Map<String, String> dump() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("s3_sdk", "AWS SDK for Java " + VersionInfo.SDK_VERSION);
        lines.put("s3_http_client", "Apache HttpClient 5");
        lines.put("s3_max_object_size", Integer.toString(MAX_OBJECT_SIZE));
        return lines;
    }
}
