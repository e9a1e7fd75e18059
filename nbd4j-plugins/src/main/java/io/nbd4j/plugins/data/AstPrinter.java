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

import java.util.ArrayList;
import java.util.List;

/**
 * The lines {@code -D data.AST=1} prints: one node per line, indented four spaces per level, in the
 * notation nbdkit uses ({@code fill(B*N)} for fills, {@code null} for nothing, {@code ( E ) *N},
 * {@code ( E )[N:M]} with {@code -1} for an open end, {@code ( E ) -> \NAME}), so the two servers'
 * output can be compared. One difference: a relative move prints its sign ({@code @+5}), where nbdkit
 * prints {@code @5} and makes it look absolute. Stateless.
 */
final class AstPrinter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AstPrinter() {}

    static List<String> lines(Expr root) {
        List<String> out = new ArrayList<>();
        print(root, 0, out);
        return out;
    }

    private static void print(Expr e, int level, List<String> out) {
        String indent = "    ".repeat(level);
        switch (e) {
            case Group g -> {
                out.add(indent + "(");
                g.items().forEach(item -> print(item, level + 1, out));
                out.add(indent + ")");
            }
            case Assign a -> wrapped(a.value(), ") -> \\" + a.name(), level, out);
            case Repeat r -> wrapped(r.unit(), ") *" + r.times(), level, out);
            case Slice s -> wrapped(s.whole(), ")[" + s.from() + ":" + s.to() + "]", level, out);
            default -> out.add(indent + leaf(e));
        }
    }

    private static void wrapped(Expr inner, String closing, int level, List<String> out) {
        String indent = "    ".repeat(level);
        out.add(indent + "(");
        print(inner, level + 1, out);
        out.add(indent + closing);
    }

    private static String leaf(Expr e) {
        return switch (e) {
            case Nothing n -> "null";
            case SingleByte b -> Integer.toString(b.value());
            case Literal l -> quoted(l);
            case Fill f -> "fill(" + f.value() + "*" + f.count() + ")";
            case SetOffset o -> "@" + o.offset();
            case MoveOffset m -> m.delta() < 0 ? "@-" + Long.toUnsignedString(-m.delta()) : "@+" + m.delta();
            case AlignOffset a -> "@^" + a.alignment();
            case FileContent f -> "<" + f.path();
            case ScriptOutput s -> "<(" + s.script() + ")";
            case NameRef n -> "\\" + n.name();
            default -> throw new AssertionError(e);
        };
    }

    /** Printable ASCII as it is, every other byte as {@code \xHH}. */
    private static String quoted(Literal l) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < l.length(); i++) {
            int b = l.at(i);
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return sb.append('"').toString();
    }
}
