package io.nbd4j.plugins.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The names visible at one point of an expression: each {@code -> \NAME} adds a {@link Binding} in
 * front of the scope it was made in, and leaving a group drops what it added simply by going back
 * to the enclosing scope object. Immutable.
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
     * A name's expression and the scope it was defined in (not the one it is used in). Compared by
     * identity: two assignments of the same text are different bindings.
     */
    record Binding(String name, Expr value, Scope definedIn) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
