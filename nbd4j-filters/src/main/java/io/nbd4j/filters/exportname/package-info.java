/**
 * The exportname filter ({@code --filter=exportname}): changes what clients see of export names: the
 * list {@code NBD_OPT_LIST} shows, which export the default name ({@code ""}) opens, which names may be
 * opened at all, and the descriptions sent with them.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code default-export=NAME} (alias {@code default_export})</dt>
 * <dd>The export a client asking for {@code ""} is given. An empty NAME keeps the empty name at this
 *     layer, and the plugin then opens its own default.</dd>
 * <dt>{@code exportname-list=keep|error|empty|defaultonly|explicit} (alias {@code exportname_list};
 *     {@code default-only} is the same as {@code defaultonly}; default {@code keep})</dt>
 * <dd>What a listing shows: the plugin's list, an error, nothing, the default export by its real name,
 *     or the names given with {@code exportname=}. The list need not be the truth: a listed name may be
 *     refused, and an unlisted one opened.</dd>
 * <dt>{@code exportname-strict=true|false} (alias {@code exportname_strict}; default false)</dt>
 * <dd>When true, only names given with {@code exportname=} can be opened; the default export only if
 *     {@code exportname=} (empty) was given.</dd>
 * <dt>{@code exportname=NAME} (repeatable)</dt>
 * <dd>A name for {@code explicit} listings and for strict mode.</dd>
 * <dt>{@code exportdesc=keep|none|fixed:STRING|script:SCRIPT} (default {@code keep})</dt>
 * <dd>The descriptions, in listings and for an opened export: the plugin's, none (so nothing leaks),
 *     one fixed string, or what the shell snippet prints (at most 4096 bytes, less a final newline) when
 *     run with {@code $name} set to the export's name.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Data passes through untouched (reads may still be sent straight from the plugin's memory), and
 * multi-conn is the layer below's. A name refused in strict mode fails the open, so the client's
 * {@code NBD_OPT_GO} gets an error and may try another name.
 */
package io.nbd4j.filters.exportname;
