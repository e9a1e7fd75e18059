package io.nbd4j.plugins.s3;

import java.net.URI;
import java.time.Duration;

/**
 * The s3 plugin's parameters once checked. Immutable. The credentials given on the command line, if any,
 * are held here and in the SDK client only: {@link #toString()} leaves them out.
 *
 * @param bucket         the bucket
 * @param key            the object (single-object mode) or the prefix of the objects
 * @param size           the disk size, or -1 to serve the single object {@code key}
 * @param objectSize     the size of each object when {@code size} is given
 * @param endpoint       the endpoint of an S3-compatible service, or null for AWS
 * @param region         the region, or null to ask the SDK's region chain
 * @param pathStyle      whether requests name the bucket in the path rather than the host name
 * @param credentials    credentials from the command line, or null to use the SDK's default chain
 * @param connections    HTTP connections to the store, and so requests to it at once
 * @param timeout        how long one attempt of a request may take
 * @param retries        how many times a throttled, failed (5xx) or timed-out request is tried again
 */
record S3Settings(String bucket, String key, long size, int objectSize, URI endpoint, String region,
                  boolean pathStyle, Credentials credentials, int connections, Duration timeout, int retries) {

    /** Keys from the command line; {@code sessionToken} may be null. */
    record Credentials(String accessKey, String secretKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[from the command line]";
        }
    }

    boolean singleObject() {
        return size < 0;
    }
}
