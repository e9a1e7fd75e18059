/**
 * The {@code s3} plugin: a disk in an S3 bucket (AWS, or any S3-compatible store: Ceph, MinIO, S3Proxy),
 * through the AWS SDK for Java 2. It ships as its own jar, {@code nbd4j-plugin-s3.jar}, found by name.
 *
 * <pre>
 * nbd4j s3 bucket=BUCKET key=PREFIX size=SIZE object-size=SIZE [endpoint-url=URL] [region=R] [path-style=BOOL]
 *          [connections=N] [timeout=SECS] [retries=N] [access-key=… secret-key=… [session-token=…]]
 * nbd4j s3 bucket=BUCKET key=OBJECT …        (one existing object, read-only)
 * </pre>
 *
 * <h2>Parameters</h2>
 * nbdkit's: {@code bucket=}, {@code key=}, {@code size=} with {@code object-size=} (always together; the
 * size a multiple of the object size), {@code endpoint-url=}, {@code access-key=}, {@code secret-key=},
 * {@code session-token=} (nbdkit's underscore spellings are aliases). Credentials on the command line are
 * visible to every local user in {@code ps}: the SDK's default chain ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_PROFILE}, {@code ~/.aws/credentials}, SSO, instance roles) is the normal way. Ours too:
 * {@code region=} (default from {@code AWS_REGION} or the profile, else us-east-1 with cross-region access),
 * {@code path-style=} (default true when {@code endpoint-url=} is given), {@code connections=} (HTTP
 * connections and requests in flight, default 32), {@code timeout=} (seconds one attempt may take, default
 * 30) and {@code retries=} (default 8).
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Layout exactly nbdkit's: object {@code i} is {@code KEY/%016x} and holds {@code object-size}
 *       bytes, so a disk written by {@code nbdkit S3} is served here and the other way round.</li>
 *   <li>An absent object reads as zeroes. Block status reports absent objects as holes that read as zeroes
 *       (one listing per request). Trim and zero delete whole objects and zero the rest of partial ones
 *       (a partial object that becomes all zeroes is deleted); above eight whole objects the range is
 *       listed first, so trimming a mostly empty disk costs a few listings.</li>
 *   <li>A request spanning objects runs on all of them at once, one virtual thread each. A write of part
 *       of an object reads it, patches it and puts it back under a lock shared by every connection
 *       ({@link io.nbd4j.plugins.s3.ObjectLocks}).</li>
 *   <li>A write is acknowledged once the store has accepted every object it touched: flush is a no-op,
 *       FUA native, multi-conn advertised, thread model PARALLEL. Block size: any alignment, the object
 *       size preferred.</li>
 *   <li>{@code key=} without {@code size=} serves that object read-only through ranged GETs (large reads
 *       fetched in 4 MiB parts at once).</li>
 *   <li>At start the plugin checks the bucket (or the object): a missing bucket or refused credentials stop
 *       it with one clear message. Throttling, 5xx answers, refused connections and timeouts are retried
 *       with exponential backoff (100 ms doubling to 5 s) up to {@code retries} times, then the request
 *       fails with EIO and nothing is acknowledged. An object of the wrong size is EIO naming its key.</li>
 *   <li>Credentials never reach logs, {@code -v}, {@code --dump-plugin} or error messages; the SDK's and
 *       HTTP client's own debug logs stay at info even with {@code -v}.</li>
 * </ul>
 *
 * <h2>Sharing a disk between servers</h2>
 * Several servers may serve the same bucket and key read-only at once. With a writer, the store gives no
 * lock across servers: a partial-object write by one server can overwrite a concurrent write to the same
 * object by another. Safe: one writer at a time, which flushes (every acknowledged write is already in the
 * store) before another server takes over; readers elsewhere see each object either whole-old or
 * whole-new. S3 reads after a completed write are strongly consistent, so nothing needs to be refreshed.
 *
 * <h2>Limits</h2>
 * Object sizes up to 64 MiB (nbdkit 1.32 refuses more than 64 KiB, as its minimum block size). No
 * encryption or compression of objects (s3backer's features); no multipart uploads (objects are small).
 */
package io.nbd4j.plugins.s3;
