package io.nbd4j.plugins.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

import java.time.Duration;

/** Builds the SDK client from the plugin's settings. Stateless. */
final class S3Clients {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(5);

    private S3Clients() {}

    /** The client for these settings; {@code interceptor} sees every attempt of every request. */
    static S3Client create(S3Settings s, ExecutionInterceptor interceptor) {
        S3ClientBuilder builder = S3Client.builder()
                .region(region(s))
                .credentialsProvider(credentials(s))
                .forcePathStyle(s.pathStyle())
                // Checksums only where the API demands them: S3-compatible stores (Ceph, older MinIO,
                // S3Proxy) do not all accept the newer trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(s.connections())
                        .connectionTimeout(s.timeout())
                        .socketTimeout(s.timeout()))
                .overrideConfiguration(o -> o
                        .addExecutionInterceptor(interceptor)
                        .apiCallAttemptTimeout(s.timeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(s.retries() + 1)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(FIRST_BACKOFF, LONGEST_BACKOFF))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(FIRST_BACKOFF, LONGEST_BACKOFF))
                                // A store that refuses everything for a while must not switch retries off.
                                .circuitBreakerEnabled(false)
                                .build()));
        if (s.endpoint() != null) {
            builder.endpointOverride(s.endpoint());
        } else if (s.region() == null) {
            builder.crossRegionAccessEnabled(true); // the guessed region may not be the bucket's
        }
        return builder.build();
    }

    private static Region region(S3Settings s) {
        if (s.region() != null) {
            return Region.of(s.region());
        }
        // The environment, system properties and the profile, but not the instance metadata service: an
        // S3-compatible store has no use for it, and a start must not wait on a network probe.
        try {
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
        } catch (RuntimeException none) {
            // No region configured: S3-compatible stores ignore it, and AWS is reached cross-region from here.
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        S3Settings.Credentials c = s.credentials();
        if (c == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(c.sessionToken() == null
                ? AwsBasicCredentials.create(c.accessKey(), c.secretKey())
                : AwsSessionCredentials.create(c.accessKey(), c.secretKey(), c.sessionToken()));
    }
}
