/**
 * The exitwhen filter ({@code --filter=exitwhen}): stops the server gracefully when something
 * outside it happens. Once an event has happened the server refuses new clients, lets the connected
 * ones finish, and exits (status 0) when the last one leaves; an idle server exits at once. An event
 * that happened before the server started makes it exit at once without serving.
 *
 * <h2>Parameters</h2>
 * Any number of events may be given; the first to happen counts. Without any the filter does nothing.
 * <dl>
 * <dt>{@code exit-when-file-created=FILE}, {@code exit-when-file-deleted=FILE}</dt>
 * <dd>When {@code FILE} exists (and can be read), or is gone.</dd>
 * <dt>{@code exit-when-pipe-closed=FD} (alias {@code exit-when-fd-closed})</dt>
 * <dd>When the other end of the pipe (or socket) inherited as descriptor {@code FD} closes. Nothing is
 *     read from it.</dd>
 * <dt>{@code exit-when-process-exits=PID} (alias {@code exit-when-pid-exits})</dt>
 * <dd>When process {@code PID} has exited; a pid reused by a new process does not hide the exit.</dd>
 * <dt>{@code exit-when-script=SCRIPT}</dt>
 * <dd>When the shell command {@code SCRIPT} exits with 88 (0: not yet; other statuses are logged as
 *     errors and count as not yet).</dd>
 * <dt>{@code exit-when-poll=SECS} (default 60)</dt>
 * <dd>How often events are looked for while no client is connected; with clients connected they are
 *     looked for when one arrives or leaves. Takes fractions and {@code ms} too.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * The filter's state has one lock, taken when a client arrives or leaves and by the polling thread,
 * never during requests, which pass through unchanged; it keeps the layer below multi-conn
 * consistent. A connection counts while its export is open; an {@code NBD_OPT_INFO} probe does not
 * count (nbdkit counts probes, so a client probing before it opens its export may see nbdkit exit in
 * between).
 */
package io.nbd4j.filters.exitwhen;
