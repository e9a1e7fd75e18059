/**
 * The {@code sh} plugin: serves an export from a script, or any executable, that is run once for every
 * plugin method, speaking nbdkit's sh plugin protocol so that scripts written for nbdkit run unchanged.
 * {@link io.nbd4j.plugins.sh.ScriptProtocol} is the engine; the {@code eval} plugin reuses it, and both
 * plugins hand every method after configuration to it through {@link io.nbd4j.plugins.sh.ScriptProtocolPlugin}.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code script=PATH} (the first bare word) — the executable; it must have its execute bit set.
 *       {@code script=-} copies a script from stdin into {@code $tmpdir/inline-script.sh} instead. A file
 *       without {@code #!} is run by {@code /bin/sh}. With {@code -s} stdin is the client's connection:
 *       the CLI then makes every read of {@code System.in} fail, naming {@code -s}, so {@code -} is
 *       refused as in nbdkit.</li>
 *   <li>Any other {@code key=value} is passed to the script as {@code config KEY VALUE}. A later bare
 *       word is given the key that the script's {@code magic_config_key} printed, and is refused if it
 *       printed none.</li>
 * </ul>
 *
 * <h2>Calling convention</h2>
 * {@code SCRIPT METHOD ARGS…}, with the environment of the server plus {@code tmpdir}, a private
 * directory created when the script is configured and removed after {@code unload}. Methods and
 * arguments: {@code load}, {@code magic_config_key} (when the script is named); {@code config KEY VALUE};
 * {@code config_complete}; {@code thread_model}; {@code get_ready}; {@code after_fork} (straight after
 * get_ready, since we never fork); {@code preconnect READONLY}; {@code list_exports READONLY TLS};
 * {@code default_export READONLY TLS}; {@code open READONLY EXPORTNAME TLS}; and with the handle that
 * {@code open} printed (one trailing newline removed, {@code ""} if open is missing):
 * {@code close}, {@code get_size}, {@code export_description}, {@code block_size}, the {@code can_*} and
 * {@code is_rotational} queries, {@code pread H COUNT OFFSET}, {@code pwrite H COUNT OFFSET FLAGS} (data
 * on stdin; every other method gets an empty stdin), {@code flush H}, {@code trim H COUNT OFFSET FLAGS},
 * {@code zero H COUNT OFFSET FLAGS}, {@code extents H COUNT OFFSET FLAGS}, {@code cache H COUNT OFFSET}.
 * FLAGS is a comma-separated subset of {@code fua,may_trim,req_one,fast}, in that order, or empty.
 * Booleans are the words {@code true} and {@code false}. Finally {@code unload}, whose failure is
 * ignored. {@code dump_plugin} adds its {@code key=value} lines to {@code --dump-plugin}.
 *
 * <h2>Exit status</h2>
 * 0 success (true); 1 error, where stderr may start with an errno name ({@code ENOSPC Out of space}) that
 * becomes the client's error, else {@code EIO}; 2 the method is missing and its default applies; 3 false.
 * Any other status is an error like 1: we report {@code max_known_status=3}, as the nbdkit we compare
 * with does, and give the newer shutdown and disconnect codes 4 to 8 no meaning.
 *
 * <h2>Defaults for missing methods</h2>
 * {@code get_size} and {@code pread} are required. Every {@code can_*} and {@code is_rotational} is
 * false, so {@code pwrite}, {@code flush}, {@code trim}, {@code zero}, {@code extents} are only used when
 * the matching {@code can_*} exits 0; {@code can_fua} is {@code emulate} if {@code can_flush} is true, else
 * {@code none}; {@code can_cache} is {@code none}; {@code can_fast_zero} is the opposite of
 * {@code can_zero}; a missing {@code zero} makes the server write zeroes; {@code thread_model} is
 * {@code serialize_all_requests}, asked after {@code config_complete}, or on its own by
 * {@code --dump-plugin}, which completes no configuration; exports are the single default export,
 * {@code ""}. Without {@code list_exports} the listing leaves the default export for the server to name,
 * so {@code default_export} runs at most once per connection (as in nbdkit) for the list, every probe
 * and the open together.
 *
 * <h2>Output formats</h2>
 * {@code get_size} and {@code block_size} (three numbers) take size suffixes ({@code 1M}, {@code 8s});
 * {@code pread} must print exactly COUNT bytes; {@code extents} prints {@code OFFSET LENGTH [TYPE]} lines
 * where TYPE is a number or words containing {@code hole} and {@code zero}; {@code list_exports} and
 * {@code default_export} print {@code NAMES}, {@code INTERLEAVED} or {@code NAMES+DESCRIPTIONS} lists
 * (a first line that is none of these starts a NAMES list); {@code can_fua} and {@code can_cache} print
 * {@code none}, {@code emulate} or {@code native}; {@code thread_model} prints a model name with
 * {@code _} or {@code -}, any case.
 */
package io.nbd4j.plugins.sh;
