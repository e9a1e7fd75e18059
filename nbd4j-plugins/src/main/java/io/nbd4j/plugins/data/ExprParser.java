package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.AlignOffset;
import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.FileContent;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.MoveOffset;
import io.nbd4j.plugins.data.Expr.NameRef;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.ScriptOutput;
import io.nbd4j.plugins.data.Expr.SetOffset;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;
import io.nbd4j.spi.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.function.Function;

/**
 * Parses nbdkit's data format into an {@link Expr}: a sequence of bytes, words, strings, files,
 * scripts, moves, groups, names and variables, where {@code *N}, {@code [N:M]} and {@code -> \NAME}
 * apply to the expression before them (blanks and comments may come between). A {@code $VAR} is
 * parsed here, from its value, as a group of its own. Single-use, one thread.
 */
final class ExprParser {
    /** Groups and variables nested deeper than this are refused rather than overflowing the stack. */
    static final int MAX_DEPTH = 1000;

    private final Function<String, String> variables;
    private final SequencedSet<String> expanding = new LinkedHashSet<>();
    private final SequencedSet<String> used = new LinkedHashSet<>();

    /** {@code variables} gives the value of {@code $NAME}, or {@code null} when there is none. */
    ExprParser(Function<String, String> variables) {
        this.variables = variables;
    }

    /** Parses the whole {@code data=} text. */
    Group parse(String text) throws ConfigException {
        return group(new TextCursor("data", text), 0, -1);
    }

    /** The names of the variables the text used, directly or through other variables. */
    SequencedSet<String> usedVariables() {
        return used;
    }

    /** Items up to the end of the text, or up to the ')' matching the '(' at {@code opening} (if not -1). */
    private Group group(TextCursor in, int depth, int opening) throws ConfigException {
        if (depth > MAX_DEPTH) {
            throw in.error("expressions nested more than " + MAX_DEPTH + " deep");
        }
        List<Expr> items = new ArrayList<>();
        while (true) {
            in.skipBlanks();
            if (in.atEnd()) {
                if (opening >= 0) {
                    throw in.error(opening, "unmatched '('");
                }
                return new Group(items);
            }
            switch (in.peek()) {
                case ')' -> {
                    if (opening < 0) {
                        throw in.error("unmatched ')'");
                    }
                    in.skip(1);
                    return new Group(items);
                }
                case '(' -> {
                    int at = in.position();
                    in.skip(1);
                    items.add(group(in, depth + 1, at));
                }
                case '*', '[' -> postfix(in, items);
                case '-' -> {
                    if (!in.startsWith("->")) {
                        throw in.error("unexpected '-' (numbers cannot be negative; '->' assigns a name)");
                    }
                    postfix(in, items);
                }
                default -> items.add(atom(in, depth));
            }
        }
    }

    private Expr atom(TextCursor in, int depth) throws ConfigException {
        char c = in.peek();
        if (c >= '0' && c <= '9') {
            return new SingleByte((int) in.bounded("BYTE", 8));
        }
        if (Literals.wordAhead(in)) {
            return new Literal(Literals.word(in));
        }
        int at = in.position();
        in.skip(1);
        return switch (c) {
            case '@' -> move(in);
            case '"' -> new Literal(Literals.string(in));
            case '<' -> in.peekIs('(') ? script(in, at) : file(in, at);
            case '\\' -> new NameRef(name(in, at), in.at(at));
            case '$' -> variable(in, depth, at);
            default -> throw in.error(at, "unexpected '" + c + "'");
        };
    }

    private static Expr move(TextCursor in) throws ConfigException {
        int at = in.position() - 1;
        if (in.atEnd()) {
            throw in.error(at, "'@' needs an offset: @OFFSET, @+N, @-N or @^ALIGNMENT");
        }
        switch (in.peek()) {
            case '+' -> {
                in.skip(1);
                return new MoveOffset(in.count("@+N"), in.at(at));
            }
            case '-' -> {
                in.skip(1);
                return new MoveOffset(-in.count("@-N"), in.at(at));
            }
            case '^' -> {
                in.skip(1);
                int start = in.position();
                long alignment = in.count("@^ALIGNMENT");
                if (Long.bitCount(alignment) != 1) {
                    throw in.error(start, "@^" + alignment + ": the alignment must be a power of 2");
                }
                return new AlignOffset(alignment);
            }
            default -> {
                return new SetOffset(in.count("@OFFSET"));
            }
        }
    }

    /** {@code *N}, {@code [N:M]} or {@code -> \NAME}: replaces the last item with the operator applied to it. */
    private static void postfix(TextCursor in, List<Expr> items) throws ConfigException {
        int at = in.position();
        char op = in.peek();
        String form = switch (op) {
            case '*' -> "*N";
            case '[' -> "[N:M]";
            default -> "-> \\NAME";
        };
        if (items.isEmpty()) {
            throw in.error(form + " must follow an expression");
        }
        Expr operand = items.getLast();
        if (operand.isMove()) {
            throw in.error(form + " cannot apply to an offset (@...)");
        }
        if (operand instanceof Assign) {
            throw in.error(form + " cannot apply to an assignment (-> \\NAME)");
        }
        in.skip(op == '-' ? 2 : 1);
        Expr result = switch (op) {
            case '*' -> {
                skipSpaces(in);
                yield new Repeat(operand, in.count("*N"));
            }
            case '[' -> slice(in, operand, at);
            default -> {
                skipSpaces(in);
                if (!in.peekIs('\\')) {
                    throw in.error("expected \\NAME after '->'");
                }
                in.skip(1);
                yield new Assign(name(in, in.position() - 1), operand);
            }
        };
        items.set(items.size() - 1, result);
    }

    private static Slice slice(TextCursor in, Expr operand, int at) throws ConfigException {
        skipSpaces(in);
        long from = digitAhead(in) ? in.count("[N:M]") : 0;
        skipSpaces(in);
        in.expect(':', "in [N:M]");
        skipSpaces(in);
        long to = digitAhead(in) ? in.count("[N:M]") : Expr.END;
        skipSpaces(in);
        in.expect(']', "to close [N:M]");
        if (to != Expr.END && from > to) {
            throw in.error(at, "[" + from + ":" + to + "] starts after it ends");
        }
        return new Slice(operand, from, to, in.at(at));
    }

    private static FileContent file(TextCursor in, int at) throws ConfigException {
        String path = in.run(c -> !Character.isWhitespace(c) && c != '*' && c != '[' && c != ')');
        if (path.isEmpty()) {
            throw in.error(at, "<FILE needs a file name");
        }
        return new FileContent(path, in.at(at));
    }

    /** {@code <(SCRIPT)}: the script runs to the ')' that balances its '(' (it may contain pairs of its own). */
    private static ScriptOutput script(TextCursor in, int at) throws ConfigException {
        in.skip(1);
        StringBuilder script = new StringBuilder();
        int level = 0;
        while (true) {
            if (in.atEnd()) {
                throw in.error(at, "<( has no matching ')'");
            }
            char c = in.next();
            if (c == ')' && level == 0) {
                return new ScriptOutput(script.toString(), in.at(at));
            }
            level += c == '(' ? 1 : c == ')' ? -1 : 0;
            script.append(c);
        }
    }

    /** The NAME after a backslash: letters, digits, '_' and '-'. */
    private static String name(TextCursor in, int at) throws ConfigException {
        String name = in.run(c -> TextCursor.isAsciiLetterOrDigit(c) || c == '_' || c == '-');
        if (name.isEmpty()) {
            throw in.error(at, "'\\' must be followed by a name (letters, digits, '_' and '-')");
        }
        return name;
    }

    private Group variable(TextCursor in, int depth, int at) throws ConfigException {
        String name = in.run(c -> TextCursor.isAsciiLetterOrDigit(c) || c == '_');
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw in.error(at, "'$' must be followed by a variable name (a letter or '_', then letters, digits or '_')");
        }
        String value = variables.apply(name);
        if (value == null) {
            throw in.error(at, "$" + name + " is neither a parameter " + name + "= nor an environment variable");
        }
        if (expanding.contains(name)) {
            throw in.error(at, "$" + name + " refers to itself (through " + String.join(" ", expanding.stream().map(v -> "$" + v).toList()) + ")");
        }
        used.add(name);
        expanding.add(name);
        Group content = group(new TextCursor("$" + name, value), depth + 1, -1);
        expanding.remove(name);
        return content;
    }

    private static boolean digitAhead(TextCursor in) {
        return !in.atEnd() && in.peek() >= '0' && in.peek() <= '9';
    }

    /** Spaces inside an operator; unlike blanks between items, these never include comments. */
    private static void skipSpaces(TextCursor in) {
        in.run(Character::isWhitespace);
    }
}
