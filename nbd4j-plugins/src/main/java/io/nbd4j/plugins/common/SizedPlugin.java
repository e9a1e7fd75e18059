package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * A plugin configured by the size of its disk, {@code [size=]SIZE}: the magic key, so a bare word on
 * the command line is the size ({@code memory 1G}). This class declares the parameter with the
 * subclass's help line, parses it, and refuses to start without it when it is required; the subclass
 * names itself, may add parameters, and opens handles of {@link #size()} bytes.
 *
 * <p><b>Threads.</b> Configured on the main thread; connection threads read {@link #size()} only after
 * {@link #configComplete}, when it no longer changes.
 */
public abstract class SizedPlugin implements Plugin {
    private static final long NOT_GIVEN = -1;

    private final Parameter sizeParameter;
    private long size;

    /** A plugin that cannot start without a size; {@code sizeHelp} is the help line of {@code size=}. */
    protected SizedPlugin(String sizeHelp) {
        this(sizeHelp, NOT_GIVEN);
    }

    /** A plugin whose disk is {@code defaultSize} bytes until {@code size=} says otherwise. */
    protected SizedPlugin(String sizeHelp, long defaultSize) {
        this.sizeParameter = new Parameter("size", "SIZE", sizeHelp);
        this.size = defaultSize;
    }

    /** The size in bytes, known once {@link #configComplete} has passed. */
    protected final long size() {
        return size;
    }

    /** The declaration of {@code size=}, for a subclass that lists more parameters. */
    protected final Parameter sizeParameter() {
        return sizeParameter;
    }

    @Override
    public final String magicConfigKey() {
        return sizeParameter.key();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(sizeParameter);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (sizeParameter.matches(key)) {
            size = Values.parseSize(key, value);
        } else {
            Plugin.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (size == NOT_GIVEN) {
            throw new ConfigException(name() + ": the size parameter is required (e.g. " + name() + " 1G or size=1G)");
        }
    }
}
