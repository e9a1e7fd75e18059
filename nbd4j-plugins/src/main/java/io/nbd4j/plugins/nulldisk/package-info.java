/**
 * The {@code null} plugin (the package is {@code nulldisk} because {@code null} is a Java keyword):
 * writes vanish and reads return zeroes, the way {@code /dev/null} and {@code /dev/zero} behave
 * together. Useful as the plugin under a filter being tested, and for probing with {@code --version}.
 *
 * <p>Parameters: {@code [size=]SIZE}, the magic key, optional, default 0.
 *
 * <p>Behaviour: pwrite, trim, zero, flush and cache succeed and do nothing; extents report the whole
 * range as one hole that reads as zeroes. Thread model PARALLEL, multi-conn, native FUA, fast zero.
 */
package io.nbd4j.plugins.nulldisk;
