package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.AlignOffset;
import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.FileContent;
import io.nbd4j.plugins.data.Expr.Fill;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.MoveOffset;
import io.nbd4j.plugins.data.Expr.NameRef;
import io.nbd4j.plugins.data.Expr.Nothing;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.ScriptOutput;
import io.nbd4j.plugins.data.Expr.SetOffset;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;
import io.nbd4j.spi.ConfigException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an expression into a {@link SparseImage}. Items of a group are written in order at a
 * current offset that starts at 0; the group's length is the furthest offset it reached (so a move
 * alone lengthens it). A nested group, a repetition, a slice or a name is first evaluated on its own
 * (its offsets relative to its start) and then copied in whole, zeroes included, overwriting what was
 * there. Copies go by allocated chunks, so sparse results stay cheap at any size. Single-use, one
 * thread.
 */
final class Evaluator {
    /** Groups and named expressions evaluated inside one another, at most. */
    static final int MAX_DEPTH = 2 * ExprParser.MAX_DEPTH;

    /** An evaluated expression: its bytes, and its length (which may end in zeroes never written). */
    record Result(SparseImage image, long size) {}

    private final ExternalBytes external;
    /** Every use of a name writes the same bytes, so each binding is evaluated once. */
    private final Map<Scope.Binding, Result> evaluatedNames = new HashMap<>();
    private int depth;

    Evaluator(ExternalBytes external) {
        this.external = external;
    }

    Result evaluate(Expr root) throws ConfigException {
        try {
            return nested(root, Scope.EMPTY);
        } catch (SparseImage.TooLargeException e) {
            throw new ConfigException("data: " + e.getMessage(), e);
        }
    }

    private Result nested(Expr e, Scope scope) throws ConfigException {
        if (++depth > MAX_DEPTH) {
            throw new ConfigException("data: groups and named expressions nested more than " + MAX_DEPTH + " deep");
        }
        SparseImage image = new SparseImage();
        long size = run(e instanceof Group g ? g.items() : List.of(e), scope, image);
        depth--;
        return new Result(image, size);
    }

    private long run(List<Expr> items, Scope scope, SparseImage image) throws ConfigException {
        long offset = 0;
        long size = 0;
        for (Expr item : items) {
            switch (item) {
                case Nothing n -> { }
                case SingleByte b -> {
                    image.write(offset, new byte[] {(byte) b.value()}, 0, 1);
                    offset = advance(offset, 1);
                }
                case Literal l -> {
                    long end = advance(offset, l.length());
                    image.write(offset, l.bytes(), 0, l.length());
                    offset = end;
                }
                case Fill f -> {
                    long end = advance(offset, f.count());
                    image.fill(offset, f.count(), (byte) f.value());
                    offset = end;
                }
                case SetOffset o -> offset = o.offset();
                case MoveOffset m -> offset = move(offset, m);
                case AlignOffset a -> offset = advance(offset, -offset & (a.alignment() - 1));
                case FileContent f -> offset = advance(offset, external.file(f, 0, Expr.END, image, offset));
                case ScriptOutput s -> offset = advance(offset, external.script(s, 0, Expr.END, image, offset));
                case Assign a -> scope = scope.with(a.name(), a.value());
                case NameRef n -> offset = copy(named(n, scope), image, offset);
                case Group g -> offset = copy(nested(g, scope), image, offset);
                case Repeat r -> offset = repeat(r, scope, image, offset);
                case Slice s -> offset = slice(s, scope, image, offset);
            }
            size = Math.max(size, offset);
        }
        return size;
    }

    private static long move(long offset, MoveOffset m) throws ConfigException {
        if (m.delta() < 0 && -m.delta() > offset) {
            throw new ConfigException(m.origin().message("@-" + -m.delta()
                    + " must not be larger than the current offset " + offset
                    + " (offsets count from the start of the enclosing group)"));
        }
        return advance(offset, m.delta());
    }

    private Result named(NameRef n, Scope scope) throws ConfigException {
        Scope.Binding binding = scope.find(n.name());
        if (binding == null) {
            List<String> names = scope.names().stream().map(s -> "\\" + s).toList();
            throw new ConfigException(n.origin().message("\\" + n.name() + " is not defined here (in scope: "
                    + (names.isEmpty() ? "no names" : String.join(" ", names))
                    + "; a name lasts to the end of the group that assigns it)"));
        }
        Result known = evaluatedNames.get(binding);
        if (known == null) {
            known = nested(binding.value(), binding.definedIn());
            evaluatedNames.put(binding, known);
        }
        return known;
    }

    private long repeat(Repeat r, Scope scope, SparseImage image, long offset) throws ConfigException {
        Result unit = nested(r.unit(), scope);
        if (unit.size() != 0 && r.times() > (Long.MAX_VALUE - offset) / unit.size()) {
            throw tooLarge();
        }
        long end = offset + unit.size() * r.times();
        // At least this many chunks (a copy shares a chunk with at most its neighbours, and copies
        // smaller than a chunk cannot need more chunks than the length covers): fail now, not once
        // the heap is full.
        long written = saturatedProduct(unit.image().chunkCount(), r.times());
        image.requireRoom(Math.min(written, Math.ceilDiv(end - offset, SparseImage.CHUNK)) / 2);
        if (unit.size() > 0 && r.times() > 0) {
            image.blit(unit.image(), 0, unit.size(), offset);
            image.repeatForward(offset, unit.size(), r.times());
        }
        return end;
    }

    private long slice(Slice s, Scope scope, SparseImage image, long offset) throws ConfigException {
        switch (s.whole()) {
            case FileContent f -> {
                return advance(offset, external.file(f, s.from(), s.to(), image, offset));
            }
            case ScriptOutput script -> {
                return advance(offset, external.script(script, s.from(), s.to(), image, offset));
            }
            default -> {
                Result whole = nested(s.whole(), scope);
                long to = s.to() == Expr.END ? whole.size() : s.to();
                if (s.from() > to || to > whole.size()) {
                    throw new ConfigException(s.origin().message("[" + s.from() + ":" + (s.to() == Expr.END ? "" : s.to())
                            + "] is not a valid slice of an expression of " + whole.size() + " bytes"));
                }
                long end = advance(offset, to - s.from());
                image.blit(whole.image(), s.from(), to - s.from(), offset);
                return end;
            }
        }
    }

    private static long copy(Result r, SparseImage image, long offset) throws ConfigException {
        long end = advance(offset, r.size());
        image.blit(r.image(), 0, r.size(), offset);
        return end;
    }

    private static long saturatedProduct(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    private static long advance(long offset, long n) throws ConfigException {
        long end = offset + n;
        if (end < 0) {
            throw tooLarge();
        }
        return end;
    }

    private static ConfigException tooLarge() {
        return new ConfigException("data: the expression is larger than the largest disk (2^63-1 bytes)");
    }
}
