/**
 * The retry filter ({@code --filter=retry}): when a call to the layers below fails, it waits, reopens
 * those layers and makes the call again, so that a long copy over a flaky connection (the nbd, curl, ssh
 * or s3 plugins) survives a dropped connection without the client noticing. The retry-request filter
 * retries without reopening.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code retries=N} (default 5)</dt>
 * <dd>How many times a call is retried before its failure reaches the client; 0 turns retrying off.</dd>
 * <dt>{@code retry-delay=SECONDS} (default 2)</dt>
 * <dd>The wait before the first retry: seconds, a fraction of them, or a number with {@code ms},
 *     {@code us} or {@code ns}; not 0.</dd>
 * <dt>{@code retry-exponential=yes|no} (default yes)</dt>
 * <dd>Double the wait before each further retry (2, 4, 8, 16, 32 seconds by default: about a minute in all).</dd>
 * <dt>{@code retry-readonly=yes|no} (default no)</dt>
 * <dd>After the first failure, reopen the layers below read-only and refuse writes, zeroes and trims
 *     with EPERM (EROFS) for the rest of the connection.</dd>
 * </dl>
 * A reopen that fails counts as a failed retry; calls meanwhile fail with ESHUTDOWN and are retried in
 * turn. Before each attempt the call is checked against the layers as now opened: a range past their
 * (perhaps new) size, a write they no longer allow, FUA or a flush they no longer have, fail the attempt
 * and are retried rather than sent. A fast zero they can no longer do, or that fails
 * with ENOTSUP, fails at once with ENOTSUP (this is checked before FUA), without further retries. The
 * waits end at once when the connection ends or the server stops, and the call then fails with the error
 * it had. The capabilities advertised are those of the first open.
 *
 * <h2>Beyond nbdkit</h2>
 * Requests run in parallel (nbdkit's filter forces one request at a time per connection, which also
 * turns off the readahead and scan filters): calls to the layers below share a read-write lock whose
 * write side a reopen takes, so no call runs in layers being closed, and calls that failed together
 * reopen once. Opening the layers below is retried too (nbdkit 1.32 fails the connection at once). The
 * delay may be a fraction of a second.
 */
package io.nbd4j.filters.retry;
