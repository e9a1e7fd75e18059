/**
 * The log filter ({@code --filter=log}): records every call through it, with its outcome, in a file
 * and/or by running a script, in nbdkit's format, so that tools that read nbdkit's logs read ours.
 * First on the command line it shows what clients ask; further in, what the filters above made of it.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code logfile=FILE}</dt>
 * <dd>Where the lines go; a relative name is resolved against the starting directory. The file is
 *     created (or emptied) when the server gets ready, so a bad path stops it from starting.</dd>
 * <dt>{@code logscript=SCRIPT}</dt>
 * <dd>A bash snippet run for every entry, with {@code $act}, {@code $type} ({@code ENTER}, {@code LEAVE},
 *     {@code PRINT}), {@code $connection}, {@code $id}, and one variable per field ({@code $offset},
 *     {@code $count}, {@code $return}, {@code $error}; {@code $extents} and {@code $exports} as bash
 *     arrays). Its exit status is ignored.</dd>
 * <dt>{@code logappend=BOOL} (default false)</dt>
 * <dd>Append to the file instead of emptying it.</dd>
 * </dl>
 * With neither {@code logfile} nor {@code logscript} the filter logs nothing.
 *
 * <h2>Lines</h2>
 * Each starts with a UTC timestamp with microseconds, then {@code connection=N} for events of a
 * connection. Events: {@code Ready thread_model=N} (0 serialize_connections … 3 parallel) when the
 * server is ready; {@code Preconnect} and {@code ListExports} (with the names listed) around each
 * client's preconnect and export listing; {@code Connect export=… tls=… size=0x… minsize=… prefsize=…
 * maxsize=… write= flush= rotational= trim= zero= fua= extents= cache= fast_zero=} when a connection
 * (or an {@code NBD_OPT_INFO} probe) is ready, with nbdkit's numbers (zero, fua and cache 0 none, 1
 * emulated, 2 native); then each call, {@code Read}, {@code Write}, {@code Zero}, {@code Trim},
 * {@code Flush}, {@code Extents}, {@code Cache}, on two lines, {@code Act id=N offset=0x… count=0x…
 * [flags] ...} before it and {@code ...Act id=N return=0} or {@code return=-1 error=EIO} after it,
 * {@code Extents} with the list the layer below gave ({@code extents=(0x0 0x8000 "hole,zero" …)});
 * and {@code Disconnect transactions=N}. Strings are shell-quoted. Ids count per connection;
 * connections count opens, probes included, as in nbdkit.
 *
 * <h2>Threads and cost</h2>
 * The filter never holds a lock while a call runs below it, so it keeps a parallel plugin parallel.
 * Each line is written whole by one write under a short lock; the script runs on the caller's thread.
 * A failure to log is reported once and never fails the call. The filter keeps the layer below
 * multi-conn consistent (it passes every call through unchanged).
 *
 * <h2>Where we differ from nbdkit</h2>
 * No {@code Fork} line: the server never forks (the launcher starts it in the background instead).
 * {@code Preconnect} always shows {@code return=0}: layers are asked one after the other, not through
 * one another, so the log filter does not learn whether an inner layer turned the client away.
 */
package io.nbd4j.filters.log;
