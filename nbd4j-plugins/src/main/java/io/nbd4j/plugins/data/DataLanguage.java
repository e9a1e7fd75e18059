package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole way from a {@code data=} text to an image: parse (with the {@code VAR=} parameters and
 * the environment for {@code $VAR}), refuse parameters no variable uses, optimise, print the tree if
 * asked, evaluate. Parsing, optimising and evaluating recurse as deep as the expression nests (at most
 * {@link ExprParser#MAX_DEPTH} and {@link Evaluator#MAX_DEPTH}), deeper than a default thread stack
 * allows, so they run on a thread of their own with room for the deepest expression accepted; the
 * caller waits for it.
 */
final class DataLanguage {
    /** Reserved, not committed: a deep expression touches only what it uses. */
    private static final long STACK_BYTES = 256L * 1024 * 1024;

    private DataLanguage() {}

    /**
     * Evaluates {@code text}. {@code $VAR} is {@code parameters.get(VAR)}, else
     * {@code environment.apply(VAR)}; {@code ast}, unless null, receives the lines of the optimised tree.
     */
    static Evaluator.Result evaluate(String text, Map<String, String> parameters, Function<String, String> environment,
                                     Consumer<String> ast) throws ConfigException {
        Object[] outcome = new Object[1];
        Thread worker = new Thread(null, () -> {
            try {
                outcome[0] = run(text, parameters, environment, ast);
            } catch (ConfigException | RuntimeException | Error e) {
                outcome[0] = e;
            }
        }, "data-expression", STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("data: interrupted while evaluating the expression", e);
        }
        return switch (outcome[0]) {
            case Evaluator.Result r -> r;
            case ConfigException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new AssertionError(outcome[0]);
        };
    }

    private static Evaluator.Result run(String text, Map<String, String> parameters, Function<String, String> environment,
                                        Consumer<String> ast) throws ConfigException {
        ExprParser parser = new ExprParser(name -> parameters.containsKey(name) ? parameters.get(name) : environment.apply(name));
        Expr expr = Optimiser.optimise(parser.parse(text));
        List<String> unused = parameters.keySet().stream().filter(v -> !parser.usedVariables().contains(v)).toList();
        if (!unused.isEmpty()) {
            throw new ConfigException("data: " + String.join("=, ", unused) + "= is not a parameter of the data plugin"
                    + " and data= never uses $" + String.join(", $", unused));
        }
        if (ast != null) {
            ast.accept("BEGIN AST (-D data.AST=1)");
            AstPrinter.lines(expr).forEach(ast);
            ast.accept("END AST");
        }
        return new Evaluator(new ExternalBytes()).evaluate(expr);
    }
}
