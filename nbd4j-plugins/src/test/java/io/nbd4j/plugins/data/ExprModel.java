package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.AlignOffset;
import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.Fill;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.MoveOffset;
import io.nbd4j.plugins.data.Expr.NameRef;
import io.nbd4j.plugins.data.Expr.Nothing;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.SetOffset;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;

import java.util.Arrays;
import java.util.List;

/**
 * The data language's meaning in the plainest terms, for property tests: every expression is a byte
 * array, built by writing into a growing array at a moving offset; no sparseness, no optimisation,
 * no sharing. Names are looked up in the scope of their assignment, as nbdkit does.
 */
final class ExprModel {
    /** Results larger than this are not modelled; a property discards the case. */
    static final int LIMIT = 1 << 20;

    /** The expression cannot be evaluated (a bad move, slice or name). */
    static final class Invalid extends RuntimeException {
        Invalid(String why) {
            super(why);
        }
    }

    /** The result would be larger than {@link #LIMIT}. */
    static final class TooLarge extends RuntimeException {}

    private record Env(String name, Expr value, Env next) {}

    private ExprModel() {}

    static byte[] evaluate(Expr e) {
        return evaluate(e, null);
    }

    private static byte[] evaluate(Expr e, Env env) {
        List<Expr> items = e instanceof Group g ? g.items() : List.of(e);
        byte[] out = new byte[0];
        long offset = 0;
        long size = 0;
        for (Expr item : items) {
            byte[] written = switch (item) {
                case Nothing n -> new byte[0];
                case SingleByte b -> new byte[] {(byte) b.value()};
                case Literal l -> l.bytes();
                case Fill f -> filled(f);
                case Group g -> evaluate(g, env);
                case NameRef n -> {
                    Env binding = env;
                    while (binding != null && !binding.name().equals(n.name())) {
                        binding = binding.next();
                    }
                    if (binding == null) {
                        throw new Invalid("\\" + n.name() + " is undefined");
                    }
                    yield evaluate(binding.value(), binding.next());
                }
                case Repeat r -> repeated(evaluate(r.unit(), env), r.times());
                case Slice s -> sliced(evaluate(s.whole(), env), s);
                default -> null;
            };
            if (written != null) {
                out = put(out, offset, written);
                offset += written.length;
            } else {
                switch (item) {
                    case SetOffset o -> offset = o.offset();
                    case MoveOffset m -> {
                        if (offset + m.delta() < 0) {
                            throw new Invalid("moved before the start");
                        }
                        offset += m.delta();
                    }
                    case AlignOffset a -> offset = (offset + a.alignment() - 1) / a.alignment() * a.alignment();
                    case Assign a -> env = new Env(a.name(), a.value(), env);
                    default -> throw new AssertionError(item);
                }
            }
            if (offset > LIMIT) {
                throw new TooLarge();
            }
            size = Math.max(size, offset);
        }
        return Arrays.copyOf(out, (int) size);
    }

    private static byte[] filled(Fill f) {
        if (f.count() > LIMIT) {
            throw new TooLarge();
        }
        byte[] out = new byte[(int) f.count()];
        Arrays.fill(out, (byte) f.value());
        return out;
    }

    private static byte[] repeated(byte[] unit, long times) {
        if (unit.length * times > LIMIT) {
            throw new TooLarge();
        }
        byte[] out = new byte[(int) (unit.length * times)];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    private static byte[] sliced(byte[] whole, Slice s) {
        long to = s.to() == Expr.END ? whole.length : s.to();
        if (s.from() > to || to > whole.length) {
            throw new Invalid("bad slice");
        }
        return Arrays.copyOfRange(whole, (int) s.from(), (int) to);
    }

    private static byte[] put(byte[] out, long offset, byte[] bytes) {
        if (offset + bytes.length > LIMIT) {
            throw new TooLarge();
        }
        byte[] grown = out.length < offset + bytes.length ? Arrays.copyOf(out, (int) (offset + bytes.length)) : out;
        System.arraycopy(bytes, 0, grown, (int) offset, bytes.length);
        return grown;
    }
}
