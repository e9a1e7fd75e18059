/**
 * The {@code eval} plugin: the {@code sh} plugin's protocol with every method written as a shell snippet
 * on the command line, e.g. {@code eval get_size='echo 64M' pread='dd if=/dev/zero count=$3
 * iflag=count_bytes status=none'}.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>One key per method: {@code after_fork}, {@code block_size}, {@code cache}, {@code can_cache},
 *       {@code can_extents}, {@code can_fast_zero}, {@code can_flush}, {@code can_fua},
 *       {@code can_multi_conn}, {@code can_trim}, {@code can_write}, {@code can_zero}, {@code close},
 *       {@code config}, {@code config_complete}, {@code default_export}, {@code dump_plugin},
 *       {@code export_description}, {@code extents}, {@code flush}, {@code get_ready}, {@code get_size},
 *       {@code is_rotational}, {@code list_exports}, {@code open}, {@code pread}, {@code preconnect},
 *       {@code pwrite}, {@code thread_model}, {@code trim}, {@code unload}, {@code zero}. Each may be
 *       given once. There is no {@code load} and no magic key.</li>
 *   <li>{@code missing=SCRIPT} — run for every method not given; {@code exit 2} by default.</li>
 *   <li>Any other {@code key=value} goes to the {@code config} snippet as {@code $2} and {@code $3}; without
 *       one it is an error.</li>
 * </ul>
 *
 * <h2>Behaviour</h2>
 * Each snippet is saved as {@code $tmpdir/METHOD} (mode 0500) and run exactly like an sh plugin script,
 * with the same arguments, exit codes and output formats (see {@link io.nbd4j.plugins.sh}); having no
 * {@code #!}, it runs under {@code /bin/sh}. Unlike a script, a snippet set can be inspected, so a data
 * method given without its {@code can_*} gets one that answers yes: {@code pwrite} → {@code can_write},
 * {@code flush} → {@code can_flush}, {@code trim} → {@code can_trim}, {@code zero} → {@code can_zero},
 * {@code extents} → {@code can_extents}, {@code cache} → {@code can_cache} ({@code native}).
 * {@code $tmpdir} and the snippets in it are removed after {@code unload}.
 */
package io.nbd4j.plugins.eval;
