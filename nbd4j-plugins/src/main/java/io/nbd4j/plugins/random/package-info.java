/**
 * The {@code random} plugin: a disk full of random bytes, mostly for testing copying programs.
 *
 * <p>Parameters: {@code [size=]SIZE} (the magic key, required); {@code seed=SEED} (0 to 2^63-1; the
 * same seed always gives the same bytes; without it a seed is chosen at start).
 *
 * <p>Behaviour: reads compute the bytes (insecure: a fast hash of the seed and the offset, so any
 * offset costs the same). A write succeeds only when it stores exactly the bytes already there and
 * otherwise fails with EIO, so copying the disk onto itself ({@code nbdcopy "$uri" "$uri"}) checks a
 * copying tool end to end. Trim and zero are advertised and always fail with EIO, as nbdkit's do.
 * Flush is not advertised. Thread model PARALLEL, multi-conn, cache is a no-op, no extents (all data).
 *
 * <p>Differences from nbdkit: the bytes differ from nbdkit's for the same seed (nbdkit's tests do not
 * compare them), and reading is much faster (nbdkit reseeds its generator for every byte).
 */
package io.nbd4j.plugins.random;
