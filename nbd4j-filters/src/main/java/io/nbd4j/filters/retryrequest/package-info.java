/**
 * The retry-request filter ({@code --filter=retry-request}): a request that fails is made again, on the
 * same layers below, after a delay, for plugins that fail now and then (a web server behind a flaky load
 * balancer). Lighter than the retry filter, which reopens the layers below on each failure.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code retry-request-retries=N} (default 2)</dt>
 * <dd>How many times a request is retried before its failure reaches the client, 0 to 1000.</dd>
 * <dt>{@code retry-request-delay=SECONDS} (default 2)</dt>
 * <dd>The wait before each retry: seconds, a fraction of them, or a number with {@code ms}, {@code us}
 *     or {@code ns}; not 0.</dd>
 * <dt>{@code retry-request-open=true|false} (default true)</dt>
 * <dd>Whether opening the layers below for a new connection is retried the same way.</dd>
 * </dl>
 * Every data call is retried (reads, writes, zeroes, trims, flushes, cache requests, extents); each try
 * reads from or writes the caller's whole buffer again, and extents are passed on only from the try that
 * succeeded. The waits end at once when the connection ends or the server stops. Requests run in parallel.
 *
 * <h2>Beyond nbdkit</h2>
 * A fast zero that fails with ENOTSUP is not retried: it must fail fast. The delay may be a fraction of
 * a second.
 */
package io.nbd4j.filters.retryrequest;
