/**
 * The protect filter ({@code --filter=protect}): write-protects ranges of the disk while the rest stays
 * writable, e.g. the boot code, or everything outside one partition, so that a client cannot plant a
 * phony header. Reads are never affected.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code protect=START-END} (repeatable)</dt>
 * <dd>Protects bytes {@code START} to {@code END}, both included, in decimal, octal ({@code 0NN}) or
 *     hexadecimal ({@code 0xNN}). A missing {@code START} means the first byte, a missing {@code END}
 *     the last.</dd>
 * <dt>{@code protect=~START-END}</dt>
 * <dd>Protects everything except that range.</dd>
 * </dl>
 * Overlapping and touching ranges are merged. Without any range nothing is protected.
 *
 * <h2>Behaviour</h2>
 * A write, trim or zero that touches a protected range is allowed only if it leaves every protected
 * byte as it is: a write must carry the bytes already there, a trim or zero must find zeroes. Otherwise
 * the request fails with {@code EPERM} and nothing of it is written. The check reads the protected part
 * from the layer below first, so writes there cost a read; writes elsewhere cost nothing. Capabilities,
 * multi-conn included, are the layer below's, and reads may still be sent straight from the plugin's
 * memory.
 *
 * <h2>Beyond nbdkit</h2>
 * Merging keeps the larger end of overlapping ranges ({@code protect=0-4095 protect=512-1023}
 * protects 0-4095; nbdkit 1.32 protects only 0-1023 then).
 */
package io.nbd4j.filters.protect;
