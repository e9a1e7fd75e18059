/**
 * The error filter ({@code --filter=error}): fails chosen calls at a chosen rate, optionally only
 * while a trigger file exists, to test how clients cope with errors.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code error=EPERM|EIO|ENOMEM|EINVAL|ENOSPC|ESHUTDOWN} (default EIO)</dt>
 * <dd>The error the client is sent.</dd>
 * <dt>{@code error-rate=N%} or {@code error-rate=P} (0 to 1; default 0, the filter does nothing)</dt>
 * <dd>The share of calls that fail: {@code 10%} or {@code 0.1}.</dd>
 * <dt>{@code error-file=FILE}</dt>
 * <dd>Fail calls only while {@code FILE} exists (looked for on every call), so a test can start and
 *     stop failures at a moment of its choosing.</dd>
 * <dt>{@code error-pread}, {@code error-pread-rate}, {@code error-pread-file}, and the same for
 *     {@code pwrite}, {@code trim}, {@code zero}, {@code extents} and {@code cache}</dt>
 * <dd>The same settings for one kind of call. Where settings for all calls and for one kind overlap,
 *     the one given last on the command line wins. Flush is never failed.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * A failing call fails before it reaches the layer below, so an injected error never changes the
 * disk: a write that reports an error was not made, and every write that succeeds was. Each
 * injection is logged ({@code error: injecting EIO error into pread}). Random numbers come from each
 * request thread's own generator, so the filter adds no lock. Capabilities pass through unchanged,
 * and the filter keeps the layer below multi-conn consistent.
 */
package io.nbd4j.filters.error;
