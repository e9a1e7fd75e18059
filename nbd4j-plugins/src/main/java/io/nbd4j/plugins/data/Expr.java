package io.nbd4j.plugins.data;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The parsed data expression: what {@link ExprParser} produces, {@link Optimiser} rewrites and
 * {@link Evaluator} writes into a {@link SparseImage}. Immutable values; the nodes whose meaning
 * depends on what happens at evaluation time (moves back, slices, names, files, scripts) keep their
 * {@link Origin} so an error can point at the text that caused it.
 */
sealed interface Expr {
    /** {@code to} of a {@link Slice} that runs to the end of its expression ({@code [N:]}). */
    long END = -1;

    /** Contributes nothing: an empty group, {@code ""}, {@code *0}, {@code [N:N]}. */
    record Nothing() implements Expr {}

    /** {@code ( ... )}, a {@code $VAR} or the whole data string: a new scope for offsets and names. */
    record Group(List<Expr> items) implements Expr {
        public Group {
            items = List.copyOf(items);
        }
    }

    /** One byte, {@code 0..255}. */
    record SingleByte(int value) implements Expr {}

    /** Bytes written as they are: strings and {@code le16:}-style words. */
    record Literal(byte[] bytes) implements Expr {
        public Literal {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        int length() {
            return bytes.length;
        }

        int at(int index) {
            return bytes[index] & 0xff;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Literal other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Literal[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** {@code count} copies of one byte; made by the optimiser from {@code B*N} and runs of equal bytes. */
    record Fill(int value, long count) implements Expr {}

    /** {@code @OFFSET}. */
    record SetOffset(long offset) implements Expr {}

    /** {@code @+N} (positive {@code delta}) or {@code @-N} (negative). */
    record MoveOffset(long delta, Origin origin) implements Expr {}

    /** {@code @^ALIGNMENT}, a power of two. */
    record AlignOffset(long alignment) implements Expr {}

    /** {@code <FILE}. */
    record FileContent(String path, Origin origin) implements Expr {}

    /** {@code <(SCRIPT)}: what {@code /bin/sh -c SCRIPT} prints. */
    record ScriptOutput(String script, Origin origin) implements Expr {}

    /** {@code \NAME}: the expression last assigned to the name in this or an enclosing scope. */
    record NameRef(String name, Origin origin) implements Expr {}

    /** {@code EXPR -> \NAME}: binds the name for the rest of the scope; writes nothing itself. */
    record Assign(String name, Expr value) implements Expr {}

    /** {@code EXPR*N}. */
    record Repeat(Expr unit, long times) implements Expr {}

    /** {@code EXPR[FROM:TO]}; {@code to} is {@link #END} for {@code [FROM:]}. */
    record Slice(Expr whole, long from, long to, Origin origin) implements Expr {}

    /** Whether this is an offset move, which neither repetition, slices nor names may apply to. */
    default boolean isMove() {
        return this instanceof SetOffset || this instanceof MoveOffset || this instanceof AlignOffset;
    }

    /**
     * Whether the meaning of this expression is the same inside a group and spliced into the
     * enclosing one: not for moves (they are relative to the group) nor for names and assignments
     * (they are scoped by it).
     */
    default boolean isScopeFree() {
        return !(isMove() || this instanceof Assign || this instanceof NameRef);
    }

    static Group group(Expr... items) {
        return new Group(List.of(items));
    }
}
