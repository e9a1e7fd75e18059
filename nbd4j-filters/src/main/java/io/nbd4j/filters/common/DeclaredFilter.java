package io.nbd4j.filters.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Parameter;

import java.util.List;

/**
 * A {@link Filter} whose name, one-line description and parameters are given once, to the constructor:
 * {@code name()}, {@code description()} and {@code parameters()} answer from them, and {@code config}
 * hands each declared key (or alias) to {@link #configure} with its {@link Parameter}, refusing any
 * other key. A filter then holds only what it does.
 *
 * <p><b>Threads.</b> The declaration is immutable; {@code configure} runs on the main thread.
 */
public abstract class DeclaredFilter implements Filter {
    private final String name;
    private final String description;
    private final List<Parameter> parameters;

    protected DeclaredFilter(String name, String description, Parameter... parameters) {
        this.name = name;
        this.description = description;
        this.parameters = List.of(parameters);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final void config(String key, String value) throws ConfigException {
        for (Parameter p : parameters) {
            if (p.matches(key)) {
                configure(p, value);
                return;
            }
        }
        Filter.super.config(key, value);
    }

    /**
     * Takes the value of one declared parameter ({@code parameter.key()} names it in messages). The
     * default refuses, which only a filter that declares parameters and forgets one would reach.
     */
    protected void configure(Parameter parameter, String value) throws ConfigException {
        throw new ConfigException(name + ": parameter '" + parameter.key() + "' is declared but not handled");
    }
}
