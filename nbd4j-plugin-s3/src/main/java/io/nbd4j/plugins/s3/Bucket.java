package io.nbd4j.plugins.s3;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The object-store calls the plugin makes, on one bucket: ranged reads that tell an absent object from a
 * present one, whole-object puts and deletes, listings. Every failure becomes an {@link NbdException}
 * naming the operation and the key, never the credentials. Retries with backoff happen inside the SDK
 * client (see {@link S3Clients}); what reaches this class has used them up.
 *
 * <p>Threads: any number of request threads. At most {@code connections} calls run at once (a fair
 * semaphore), the size of the HTTP connection pool, so a request fanned out over many objects waits here
 * rather than timing out in the pool.
 */
final class Bucket implements AutoCloseable {
    private final S3Client client;
    private final String name;
    private final Semaphore calls;

    Bucket(S3Client client, String name, int connections) {
        this.client = client;
        this.name = name;
        this.calls = new Semaphore(connections, true);
    }

    String name() {
        return name;
    }

    /**
     * Reads the object's bytes from {@code from} into {@code target} (position to limit). Returns false,
     * with {@code target} untouched, when the object does not exist. An object whose size is not
     * {@code expectedSize} is an EIO naming the key.
     */
    boolean read(String key, long from, ByteBuffer target, long expectedSize) throws IOException {
        int length = target.remaining();
        String range = "bytes=" + from + "-" + (from + length - 1);
        acquire();
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(name).key(key).range(range))) {
            long total = totalSize(in.response(), length);
            if (total != expectedSize) {
                in.abort();
                throw wrongSize(key, total, expectedSize);
            }
            ReadableByteChannel channel = Channels.newChannel(in);
            while (target.hasRemaining()) {
                if (channel.read(target) < 0) {
                    throw new NbdException(NbdError.EIO, "s3: GET " + key + ": the object ended "
                            + target.remaining() + " bytes early");
                }
            }
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw new NbdException(NbdError.EIO, "s3: object " + key + " is shorter than " + expectedSize
                        + " bytes (the range " + range + " is past its end)", e);
            }
            throw failure("GET", key, e);
        } catch (SdkException e) {
            throw failure("GET", key, e);
        } finally {
            calls.release();
        }
    }

    private static long totalSize(GetObjectResponse response, int length) {
        String contentRange = response.contentRange();
        if (contentRange != null && contentRange.lastIndexOf('/') >= 0) {
            String total = contentRange.substring(contentRange.lastIndexOf('/') + 1).strip();
            if (!total.equals("*")) {
                return Long.parseLong(total);
            }
        }
        // A server that ignores Range sends the whole object: its length is the total.
        return response.contentLength() != null ? response.contentLength() : length;
    }

    private static NbdException wrongSize(String key, long actual, long expected) {
        return new NbdException(NbdError.EIO, "s3: object " + key + " is " + actual + " bytes, expected "
                + expected + " (written with another object-size?)");
    }

    /** Stores {@code data} (position to limit) as the whole object {@code key}. */
    void put(String key, ByteBuffer data) throws IOException {
        acquire();
        try {
            client.putObject(b -> b.bucket(name).key(key), RequestBody.fromByteBuffer(data));
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        } finally {
            calls.release();
        }
    }

    void delete(String key) throws IOException {
        acquire();
        try {
            client.deleteObject(b -> b.bucket(name).key(key));
        } catch (SdkException e) {
            throw failure("DELETE", key, e);
        } finally {
            calls.release();
        }
    }

    /** The keys after {@code startAfter} (null: from the first) that start with {@code prefix}, in order, at most {@code max}. */
    Listing list(String prefix, String startAfter, int max) throws IOException {
        acquire();
        try {
            ListObjectsV2Response r = client.listObjectsV2(b -> b.bucket(name).prefix(prefix)
                    .startAfter(startAfter).maxKeys(max));
            return new Listing(r.contents().stream().map(S3Object::key).toList(), Boolean.TRUE.equals(r.isTruncated()));
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        } finally {
            calls.release();
        }
    }

    /** One page of keys; {@code truncated} when more keys follow the last one. */
    record Listing(List<String> keys, boolean truncated) {}

    /**
     * Fails, with a message a user can act on, unless the bucket exists and these credentials may use it.
     * Called once at start so that a typo or a bad key shows at once rather than at the first request.
     */
    void checkAccess() throws IOException {
        acquire();
        try {
            client.headBucket(b -> b.bucket(name));
        } catch (S3Exception e) {
            throw switch (e.statusCode()) {
                case 404 -> new NbdException(NbdError.EIO, "s3: bucket " + name + " does not exist", e);
                case 400, 401, 403 -> new NbdException(NbdError.EPERM, "s3: access to bucket " + name
                        + " denied (HTTP " + e.statusCode() + "): check the credentials (AWS_PROFILE, "
                        + "~/.aws/credentials, or access-key= and secret-key=)", e);
                default -> failure("HEAD", "", e);
            };
        } catch (SdkException e) {
            throw failure("HEAD", "", e);
        } finally {
            calls.release();
        }
    }

    /** The size of object {@code key}, or -1 when it does not exist. */
    long size(String key) throws IOException {
        acquire();
        try {
            return client.headObject(b -> b.bucket(name).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw failure("HEAD", key, e);
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        } finally {
            calls.release();
        }
    }

    private void acquire() throws InterruptedIOException {
        try {
            calls.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection to the object store");
        }
    }

    private NbdException failure(String operation, String key, SdkException e) {
        return new NbdException(NbdError.EIO, "s3: " + operation + " " + name + "/" + key + ": " + describe(e), e);
    }

    /** The SDK's message, which names the service's error code and request, never the credentials. */
    static String describe(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            String code = s3.awsErrorDetails().errorCode();
            return "HTTP " + s3.statusCode() + (code != null ? " " + code : "") + ": " + s3.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    @Override
    public void close() {
        client.close();
    }
}
