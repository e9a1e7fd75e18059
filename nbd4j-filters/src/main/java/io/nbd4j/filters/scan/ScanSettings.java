package io.nbd4j.filters.scan;

/**
 * The scan filter's configuration.
 *
 * @param ahead   {@code scan-ahead=}: skip forward past where the client reads
 * @param clock   {@code scan-clock=}: a new connection goes on from where the last scan stopped
 * @param forever {@code scan-forever=}: start again from the beginning after the end
 * @param size    {@code scan-size=}: bytes per prefetch
 */
record ScanSettings(boolean ahead, boolean clock, boolean forever, long size) {}
