/**
 * The {@code zero} plugin: a disk of zero bytes, read-only, with no parameters. nbdkit keeps it for
 * compatibility; it is handy for testing the corner cases of clients and of the protocol.
 */
package io.nbd4j.plugins.zero;
