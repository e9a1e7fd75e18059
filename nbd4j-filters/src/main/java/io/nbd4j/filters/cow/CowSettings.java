package io.nbd4j.filters.cow;

import java.util.function.BooleanSupplier;

/**
 * The cow filter's configuration.
 *
 * @param blockSize {@code cow-block-size=}
 * @param onCache   {@code cow-on-cache=}: keep what cache requests fetch
 * @param onRead    {@code cow-on-read=}: keep what reads fetch; asked on every read, since {@code /PATH} may come and go
 */
record CowSettings(int blockSize, boolean onCache, BooleanSupplier onRead) {}
