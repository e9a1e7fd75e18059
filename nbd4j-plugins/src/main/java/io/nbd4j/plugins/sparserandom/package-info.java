/**
 * The {@code sparse-random} plugin: a disk with runs of random data separated by holes, shaped like a
 * virtual machine's disk, for testing and benchmarking copying tools such as nbdcopy.
 *
 * <p>Parameters: {@code [size=]SIZE} (the magic key, required); {@code seed=SEED} (0 to 2^63-1, the
 * same seed giving the same disk; default: chosen at start); {@code percent=N} (share of data, 0 to
 * 100, fractions allowed, default 10); {@code runlength=SIZE} (mean length of a data run, default
 * 16M); {@code random-content=BOOL} (default false: each 4 KiB data block is one random non-zero byte
 * repeated; true: random bytes throughout).
 *
 * <p>Behaviour: data comes in whole 4 KiB blocks; run and hole lengths are drawn from geometric
 * distributions whose means give {@code runlength} and {@code percent} on average. Extents report
 * data runs as data and the rest as holes reading as zeroes. A write succeeds only if it stores
 * exactly what is there; trim and zero succeed only on holes; anything else fails with EIO, so
 * {@code nbdcopy "$uri" "$uri"} checks a copying tool end to end, holes included. Flush and FUA are
 * no-ops. Thread model PARALLEL, multi-conn, cache is a no-op.
 *
 * <p>Limits: a disk that would need more than 2^24 data runs is refused at start (raise
 * {@code runlength} or lower {@code percent}). The bytes and the layout differ from nbdkit's for
 * the same seed.
 */
package io.nbd4j.plugins.sparserandom;
