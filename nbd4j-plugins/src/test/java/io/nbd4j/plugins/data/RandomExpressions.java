package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.AlignOffset;
import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.MoveOffset;
import io.nbd4j.plugins.data.Expr.NameRef;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.SetOffset;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.stream.Collectors;

/**
 * Random data expressions for property tests, and the text that describes each. Byte values and
 * lengths are drawn from small sets so that neighbours merge and slices hit their ends; offsets
 * reach past the 4 KiB chunks of {@link SparseImage}; only two names exist, so a name is sometimes
 * defined and sometimes not.
 */
final class RandomExpressions {
    private static final Origin NOWHERE = new Origin("data", "", 0);

    private RandomExpressions() {}

    /** A whole data string: the items of a top-level group. */
    static Arbitrary<Group> whole() {
        return items(3);
    }

    private static Arbitrary<Group> items(int depth) {
        return item(depth).list().ofMaxSize(5).map(Group::new);
    }

    private static Arbitrary<Expr> item(int depth) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, operand(depth)),
                Tuple.of(2, move()),
                Tuple.of(1, Combinators.combine(operand(depth), names()).as((v, n) -> new Assign(n, v))));
    }

    /** Something {@code *N}, {@code [N:M]} and {@code ->} may follow: not a move, not an assignment. */
    private static Arbitrary<Expr> operand(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.frequencyOf(
                Tuple.of(3, values().map(SingleByte::new)),
                Tuple.of(3, values().list().ofMaxSize(6).map(RandomExpressions::literal)),
                Tuple.of(1, names().map(n -> new NameRef(n, NOWHERE))));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> inner = Arbitraries.lazy(() -> operand(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(4, leaf),
                Tuple.of(2, Arbitraries.lazy(() -> items(depth - 1)).map(g -> (Expr) g)),
                Tuple.of(2, Combinators.combine(inner, times()).as(Repeat::new)),
                Tuple.of(2, Combinators.combine(inner, Arbitraries.longs().between(0, 6), Arbitraries.longs().between(-1, 6))
                        .as((w, from, length) -> new Slice(w, from, length < 0 ? Expr.END : from + length, NOWHERE))));
    }

    private static Arbitrary<Expr> move() {
        return Arbitraries.oneOf(
                Arbitraries.oneOf(Arbitraries.longs().between(0, 12), Arbitraries.longs().between(4090, 4110)).map(SetOffset::new),
                Arbitraries.oneOf(Arbitraries.longs().between(-6, 12), Arbitraries.of(4100L)).map(d -> new MoveOffset(d, NOWHERE)),
                Arbitraries.of(1L, 2L, 8L, 4096L).map(AlignOffset::new));
    }

    private static Arbitrary<Long> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(0, 3)),
                Tuple.of(2, Arbitraries.of(1500L)));
    }

    private static Arbitrary<Integer> values() {
        return Arbitraries.of(0, 0, 1, 1, 2, 0x41, 0xff);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.of("a", "b");
    }

    private static Expr literal(java.util.List<Integer> values) {
        byte[] bytes = new byte[values.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (int) values.get(i);
        }
        return new Literal(bytes);
    }

    /** The data string for a top-level group. */
    static String text(Group top) {
        return top.items().stream().map(RandomExpressions::text).collect(Collectors.joining(" "));
    }

    private static String text(Expr e) {
        return switch (e) {
            case SingleByte b -> switch (b.value() % 3) {
                case 0 -> Integer.toString(b.value());
                case 1 -> "0x" + Integer.toHexString(b.value());
                default -> "0" + Integer.toOctalString(b.value());
            };
            case Literal l -> quoted(l);
            case SetOffset o -> "@" + o.offset();
            case MoveOffset m -> m.delta() < 0 ? "@-" + -m.delta() : "@+" + m.delta();
            case AlignOffset a -> "@^" + a.alignment();
            case NameRef n -> "\\" + n.name();
            case Group g -> "( " + text(g) + " )";
            case Repeat r -> text(r.unit()) + "*" + r.times();
            case Slice s -> text(s.whole()) + "[" + s.from() + ":" + (s.to() == Expr.END ? "" : s.to()) + "]";
            case Assign a -> text(a.value()) + " -> \\" + a.name();
            default -> throw new AssertionError(e);
        };
    }

    private static String quoted(Literal l) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < l.length(); i++) {
            int b = l.at(i);
            sb.append(b == 0x41 ? "A" : String.format("\\x%02x", b));
        }
        return sb.append('"').toString();
    }
}
