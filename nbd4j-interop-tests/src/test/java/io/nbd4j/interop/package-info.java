/**
 * Interop tests: every test starts a real server command and drives it with real clients (libnbd's nbdsh,
 * nbdinfo and nbdcopy, qemu-img, qemu-io, fio, or a raw socket for malformed input).
 *
 * <p>Because nbd4j's command line is nbdkit's, a test is written once against a {@link io.nbd4j.interop.Server}
 * and runs against {@code ./nbd4j} and against {@code nbdkit}; the system property {@code interop.servers}
 * (default {@code nbd4j,nbdkit}) chooses, e.g. {@code -Dinterop.servers=nbdkit} to check a test against the
 * reference alone. Tests of what only nbd4j has (jar plugins, {@code --print-uri}, our error wording) run
 * when nbd4j is selected. The repository root, where the {@code nbd4j} launcher lives, comes from the system
 * property {@code nbd4j.root} (set by the pom) or is found by walking up from the working directory.
 *
 * <p>A missing client program fails the test: a skipped interop test would hide that nothing was tested.
 * Servers listen on Unix sockets in each test's temporary directory (loopback TCP only where TCP is the
 * point), and every test stops what it started.
 */
package io.nbd4j.interop;
