package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.Fill;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.Nothing;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rewrites an expression into a cheaper one that writes the same bytes, by nbdkit's rules, so that
 * {@code -D data.AST=1} prints what nbdkit prints: groups without moves, names or assignments are
 * spliced into their parent; neighbouring bytes, strings and fills merge (one pass, left to right);
 * {@code B*N} becomes a fill, {@code E*1} is {@code E}, {@code E*X*Y} is {@code E*(X*Y)}, short
 * strings repeated at most 4 times are written out; slices of strings and fills are cut at once;
 * empty things vanish. Where a product or sum would pass 2^63-1 the expression is left as it is,
 * for the evaluator to refuse. Stateless.
 */
final class Optimiser {
    private static final int INLINE_REPEAT_MAX_TIMES = 4;
    private static final int INLINE_REPEAT_MAX_LENGTH = 512;
    private static final Nothing NOTHING = new Nothing();

    private Optimiser() {}

    static Expr optimise(Expr e) {
        return switch (e) {
            case Group g -> group(g);
            case Assign a -> new Assign(a.name(), optimise(a.value()));
            case Repeat r -> repeat(r);
            case Slice s -> slice(s);
            case Literal l when l.length() == 0 -> NOTHING;
            case Literal l when l.length() > 1 && allEqual(l.bytes()) -> new Fill(l.at(0), l.length());
            case Fill f when f.count() == 0 -> NOTHING;
            default -> e;
        };
    }

    private static Expr group(Group g) {
        List<Expr> items = new ArrayList<>();
        for (Expr item : g.items()) {
            Expr o = optimise(item);
            if (o instanceof Group inner && inner.items().stream().allMatch(Expr::isScopeFree)) {
                items.addAll(inner.items());
            } else if (!(o instanceof Nothing)) {
                items.add(o);
            }
        }
        for (int i = 1; i < items.size(); i++) {
            Expr merged = merge(items.get(i - 1), items.get(i));
            if (merged != null) {
                items.set(i - 1, merged);
                items.remove(i);
                i--;
            }
        }
        if (items.isEmpty()) {
            return NOTHING;
        }
        if (items.size() == 1 && items.getFirst().isScopeFree()) {
            return items.getFirst();
        }
        return new Group(items);
    }

    /** The one expression equal to {@code a} followed by {@code b}, or null if there is none of the kinds above. */
    private static Expr merge(Expr a, Expr b) {
        return switch (a) {
            case SingleByte x when b instanceof SingleByte y ->
                    x.value() == y.value() ? new Fill(x.value(), 2) : literal(new byte[] {(byte) x.value(), (byte) y.value()});
            case SingleByte x when b instanceof Literal s -> literal(concat(new byte[] {(byte) x.value()}, s.bytes()));
            case SingleByte x when b instanceof Fill f && f.value() == x.value() && f.count() < Long.MAX_VALUE ->
                    new Fill(f.value(), f.count() + 1);
            case Literal s when b instanceof SingleByte y -> literal(concat(s.bytes(), new byte[] {(byte) y.value()}));
            case Literal s when b instanceof Literal t -> literal(concat(s.bytes(), t.bytes()));
            case Fill f when b instanceof SingleByte y && f.value() == y.value() && f.count() < Long.MAX_VALUE ->
                    new Fill(f.value(), f.count() + 1);
            case Fill f when b instanceof Fill g && f.value() == g.value() && f.count() <= Long.MAX_VALUE - g.count() ->
                    new Fill(f.value(), f.count() + g.count());
            default -> null;
        };
    }

    private static Expr repeat(Repeat r) {
        if (r.times() == 0) {
            return NOTHING;
        }
        Expr unit = optimise(r.unit());
        long times = r.times();
        if (times == 1 || unit instanceof Nothing) {
            return unit;
        }
        if (unit instanceof Repeat inner && fitsProduct(inner.times(), times)) {
            return new Repeat(inner.unit(), inner.times() * times);
        }
        if (unit instanceof Fill f) {
            return fitsProduct(f.count(), times) ? new Fill(f.value(), f.count() * times) : new Repeat(unit, times);
        }
        if (unit instanceof Literal s && times <= INLINE_REPEAT_MAX_TIMES && s.length() <= INLINE_REPEAT_MAX_LENGTH) {
            byte[] out = new byte[s.length() * (int) times];
            for (int i = 0; i < times; i++) {
                System.arraycopy(s.bytes(), 0, out, i * s.length(), s.length());
            }
            return literal(out);
        }
        int single = singleByte(unit);
        return single >= 0 ? new Fill(single, times) : new Repeat(unit, times);
    }

    /** The byte an expression of exactly one constant byte writes, or -1. */
    private static int singleByte(Expr e) {
        return switch (e) {
            case SingleByte b -> b.value();
            case Group g when g.items().size() == 1 -> singleByte(g.items().getFirst());
            case Literal s when s.length() == 1 -> s.at(0);
            case Fill f when f.count() == 1 -> f.value();
            case Repeat r when r.times() == 1 -> singleByte(r.unit());
            default -> -1;
        };
    }

    /**
     * Slices of constants are cut now when they are valid; anything else is left for the evaluator,
     * which reports an invalid slice only if the expression is still there after optimisation.
     */
    private static Expr slice(Slice s) {
        if (s.from() == s.to()) {
            return NOTHING;
        }
        Expr whole = optimise(s.whole());
        long length = switch (whole) {
            case Nothing n -> 0;
            case SingleByte b -> 1;
            case Literal l -> l.length();
            case Fill f -> f.count();
            default -> -1;
        };
        long end = s.to() == Expr.END ? length : s.to();
        if (length < 0 || s.from() > end || end > length) {
            return new Slice(whole, s.from(), s.to(), s.origin());
        }
        long cut = end - s.from();
        return switch (whole) {
            case Nothing n -> NOTHING;
            case SingleByte b when cut == 1 -> b;
            case SingleByte b -> new Slice(whole, s.from(), s.to(), s.origin());
            case Literal l when cut == 1 -> new SingleByte(l.at((int) s.from()));
            case Literal l -> literal(Arrays.copyOfRange(l.bytes(), (int) s.from(), (int) end));
            case Fill f when cut == 1 -> new SingleByte(f.value());
            case Fill f -> new Fill(f.value(), cut);
            default -> throw new AssertionError(whole);
        };
    }

    private static boolean fitsProduct(long a, long b) {
        return Math.multiplyHigh(a, b) == 0 && a * b >= 0;
    }

    private static boolean allEqual(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Literal literal(byte[] bytes) {
        return new Literal(bytes);
    }
}
