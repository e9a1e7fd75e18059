package io.nbd4j.plugins.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The names visible at one point of an expression: each {@code -> \NAME} adds a {@link Binding} in
 * front of the scope it was made in, and leaving a group drops what it added simply by going back
 * to the enclosing scope object. Immutable apart from each binding's memo; one thread.
 */
final class Scope {
    static final Scope EMPTY = new Scope(null, null);

    private final Binding binding;
    private final Scope enclosing;

    private Scope(Binding binding, Scope enclosing) {
        this.binding = binding;
        this.enclosing = enclosing;
    }

    /** This scope with {@code name} bound to {@code value}, which is evaluated in this scope (without itself). */
    Scope with(String name, Expr value) {
        return new Scope(new Binding(name, value, this), this);
    }

    /** The innermost binding of {@code name}, or null. */
    Binding find(String name) {
        for (Scope s = this; s.binding != null; s = s.enclosing) {
            if (s.binding.name().equals(name)) {
                return s.binding;
            }
        }
        return null;
    }

    /** The names visible here, innermost first, each once; for error messages. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Scope s = this; s.binding != null; s = s.enclosing) {
            if (!names.contains(s.binding.name())) {
                names.add(s.binding.name());
            }
        }
        return names;
    }

    /**
     * A name's expression and the scope it was defined in (not the one it is used in), with its
     * value once evaluated: every use of the name writes the same bytes, so it is evaluated once.
     */
    static final class Binding {
        private final String name;
        private final Expr value;
        private final Scope definedIn;
        private Evaluator.Result memo;

        private Binding(String name, Expr value, Scope definedIn) {
            this.name = name;
            this.value = value;
            this.definedIn = definedIn;
        }

        String name() {
            return name;
        }

        Expr value() {
            return value;
        }

        Scope definedIn() {
            return definedIn;
        }

        Evaluator.Result memo() {
            return memo;
        }

        void remember(Evaluator.Result result) {
            memo = result;
        }
    }
}
