/**
 * The {@code pattern} plugin: a read-only test disk whose every 8-byte slot holds the slot's own
 * offset as a 64-bit big-endian number, so any byte read tells where it came from. The last slot is
 * cut short when the size is not a multiple of 8.
 *
 * <p>Parameters: {@code [size=]SIZE}, the magic key, required, up to 2^63-1.
 *
 * <p>Behaviour: reads compute the pattern; writes fail with EPERM. Thread model PARALLEL,
 * multi-conn, cache is a no-op.
 */
package io.nbd4j.plugins.pattern;
