/**
 * The {@code iso} plugin: a read-only virtual CD of host directories, made at start by an ISO 9660
 * authoring program.
 *
 * <pre>
 * nbd4j iso [dir=]DIRECTORY [[dir=]DIRECTORY ...] [params='OPTIONS'] [prog=PROGRAM]
 * </pre>
 *
 * <ul>
 *   <li>{@code dir=DIRECTORY} (magic key, required, may repeat): the directories are merged at the
 *       root of the CD.</li>
 *   <li>{@code params='OPTIONS'}: more options for the program, word-split and expanded by the shell
 *       (e.g. {@code -JrT} for long names).</li>
 *   <li>{@code prog=PROGRAM}: the program; by default the first of {@code xorriso},
 *       {@code genisoimage} and {@code mkisofs} on {@code PATH} (shown by {@code --dump-plugin} as
 *       {@code iso_prog=}).</li>
 * </ul>
 *
 * <p><b>Behaviour.</b> In {@code getReady} the plugin runs {@code PROGRAM [-as mkisofs] -quiet PARAMS
 * DIR...} through {@code /bin/sh} ({@code -as mkisofs} for xorriso), with standard output into a
 * temporary file under {@code $TMPDIR} (default {@code /var/tmp}). The file is opened and its name
 * removed at once, so nothing is left behind however the server ends; the space is freed at unload. A
 * failing program stops the start with its exit status and error output. Served through the file
 * plugin's {@link io.nbd4j.plugins.file.DiskFile}: read-only, multi-conn, parallel.
 *
 * <p><b>Beyond nbdkit.</b> The program is chosen at start among those installed (nbdkit fixes it
 * when built); extents and cache requests are served.
 */
package io.nbd4j.plugins.iso;
