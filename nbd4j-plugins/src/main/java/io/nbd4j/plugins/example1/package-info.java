/**
 * The example1 plugin ({@code nbd4j example1}): a read-only 100 MiB disk whose first sector is an MBR
 * with one empty Linux partition (from 1 MiB to the end), all the rest zeroes. It takes no parameters.
 * It is what nbdkit's tests start when they need some server to talk to, and a short example of a
 * plugin.
 *
 * <h2>Behaviour</h2>
 * Reads only: no write, flush, trim, zero, cache or block status, and no multi-conn, as nbdkit's
 * plugin. Thread model {@code serialize_all_requests}, as nbdkit's.
 *
 * <h2>Limits</h2>
 * The boot sector is our own: it has no boot code, and its partition starts at sector 2048 rather than
 * where nbdkit's blob puts it. Nothing depends on the exact bytes.
 */
package io.nbd4j.plugins.example1;
