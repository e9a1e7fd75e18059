/**
 * The {@code data} plugin: a disk whose content is written on the command line, mainly for testing
 * clients. Writes are kept in memory until the server stops.
 *
 * <p>Parameters: exactly one of {@code [data=]DATA} (the magic key; nbdkit's data language),
 * {@code raw=BYTES} (the UTF-8 bytes of the value) or {@code base64=BASE64}; {@code size=SIZE}
 * truncates or extends with zeroes (default: the length of the content); {@code allocator=} as for
 * memory; and, with {@code data=} only, any other {@code VAR=DATA}, the value of {@code $VAR}.
 *
 * <p>The language, as in nbdkit 1.32: bytes ({@code 0 1 0x55 0377}); words
 * ({@code le16: be16: le32: be32: le64: be64:}); strings ({@code "text\n"} with C escapes); moves of
 * the current offset ({@code @OFFSET}, {@code @+N}, {@code @-N}, {@code @^ALIGNMENT}); files
 * ({@code <FILE}); the output of a shell script ({@code <(SCRIPT)}); groups {@code ( ... )}, whose
 * offsets count from the group's start; repetition {@code E*N}; slices {@code E[N:M]}, {@code E[N:]},
 * {@code E[:M]}; names ({@code E -> \NAME} binds, {@code \NAME} writes; a name lasts to the end of its
 * group and sees the names of where it was bound); variables {@code $VAR} (a parameter, else an
 * environment variable, parsed as a group of its own); {@code #} comments. The disk is as long as the
 * furthest offset reached. Each piece lives in its own class, and
 * {@link io.nbd4j.plugins.data.DataLanguage} runs them in order: {@link io.nbd4j.plugins.data.ExprParser}
 * makes an {@link io.nbd4j.plugins.data.Expr}, {@link io.nbd4j.plugins.data.Optimiser} rewrites it by
 * nbdkit's rules, {@link io.nbd4j.plugins.data.Evaluator} writes it into a
 * {@link io.nbd4j.plugins.data.SparseImage} (4 KiB chunks that exist only where written, so
 * {@code @0x10000000000 1} or a repeated 8 GiB name cost a few chunks), which is then loaded into the
 * memory plugin's page table. {@code -D data.AST=1} prints the optimised expression to stderr as
 * {@code nbd4j: debug:} lines, in nbdkit's notation.
 *
 * <p>Behaviour: as the memory plugin (sparse pages, trim and zero free them, multi-conn, native FUA,
 * PARALLEL), except that extents come in nbdkit's 32 KiB pages: a page never written is a hole, a
 * written page of zeroes is zero but allocated ({@code @131072 0}), anything else data.
 *
 * <p>Beyond nbdkit: strings also take octal {@code \NNN} and Unicode <code>&#92;uXXXX</code> and
 * <code>&#92;UXXXXXXXX</code> escapes (written in UTF-8); any slice {@code [N:M]} of a file or script
 * is read without reading the rest; errors, found while parsing or evaluating, name the offset and
 * quote the text from there ({@code at offset 9 of data: '-> \a'}, or {@code of $VAR}); a name is
 * evaluated once however often it is used.
 *
 * <p>Stricter than nbdkit, on purpose: a number is every letter and digit of its token, so
 * {@code 08} and {@code 1a} are errors (nbdkit reads {@code 08} as two bytes); a {@code VAR=} that no
 * {@code $VAR} uses is refused, since it is most likely a mistyped parameter; {@code <(SCRIPT)} must
 * exit with status 0 unless it is cut short by a slice, and reads stdin from {@code /dev/null}; a slice
 * of a file or script that ends past its end is an error, not a shorter result; slices take no
 * negative numbers; {@code *N}, {@code [N:M]} and {@code ->} do not apply to an assignment. The AST
 * dump prints a relative move as {@code @+N} (nbdkit prints {@code @N}).
 *
 * <p>Limits: groups and variables nest at most 1000 deep, and evaluation (groups and names inside one
 * another) at most 2000; the non-zero content may take at most half the Java heap while it is built.
 */
package io.nbd4j.plugins.data;
