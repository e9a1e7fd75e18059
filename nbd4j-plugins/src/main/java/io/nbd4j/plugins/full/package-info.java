/**
 * The {@code full} plugin: a disk that has run out of space. Reads return zeroes; pwrite, trim and
 * zero fail with ENOSPC; flush succeeds; extents report one hole that reads as zeroes.
 *
 * <p>Parameters: {@code [size=]SIZE}, the magic key, required. Thread model PARALLEL, multi-conn.
 */
package io.nbd4j.plugins.full;
