/**
 * The {@code data} plugin: a disk whose content is written on the command line, mainly for testing
 * clients. Writes are kept in memory until the server stops.
 *
 * <p>Parameters: exactly one of {@code [data=]DATA} (the magic key; nbdkit's compact format),
 * {@code raw=BYTES} (the UTF-8 bytes of the value) or {@code base64=BASE64}; {@code size=SIZE}
 * truncates or extends with zeroes (default: the extent of the content); {@code allocator=} as for
 * memory.
 *
 * <p>The format (see {@link io.nbd4j.plugins.data.DataParser}): bytes ({@code 0 1 0x55 0377}),
 * words ({@code le16: be16: le32: be32: le64: be64:}), strings ({@code "text\n"} with C escapes,
 * including {@code \xHH} and octal, which nbdkit 1.32 lacks), moves ({@code @OFFSET}, {@code @+N},
 * {@code @-N}, {@code @^ALIGN}), groups {@code ( ... )}, repetition {@code EXPR*N}, slices
 * {@code EXPR[N:M]}, files {@code <FILE} and {@code #} comments. Not supported: {@code <(SCRIPT)},
 * {@code \NAME} and {@code $VAR}; a number with a leading zero must be valid octal ({@code 08} is an
 * error, where nbdkit reads it as two bytes).
 *
 * <p>Behaviour: as the memory plugin (sparse pages, trim and zero free them, extents, multi-conn,
 * native FUA, PARALLEL); all-zero parts of the content are holes.
 */
package io.nbd4j.plugins.data;
