package io.nbd4j.plugins.data;

import io.nbd4j.plugins.memory.MemoryPlugin;
import io.nbd4j.plugins.memory.PageTable;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code data}: a disk described on the command line, writable in memory like the memory plugin
 * (it is served from the same {@link PageTable}). Configured from the main thread: the description
 * is parsed, optimised and evaluated in {@link #configComplete} so that mistakes are reported before
 * serving, and loaded into the page table in {@link #getReady}; connections then read and write the
 * table from any number of threads.
 */
public final class DataPlugin implements Plugin {
    static final Parameter DATA = new Parameter("data", "DATA", "Disk content in nbdkit's data format, e.g. '1 2 3 @0x1fe 0x55 0xaa'");
    static final Parameter RAW = new Parameter("raw", "BYTES", "Disk content: the bytes of the string itself");
    static final Parameter BASE64 = new Parameter("base64", "BASE64", "Disk content: base64-encoded bytes");
    static final Parameter SIZE = new Parameter("size", "SIZE", "Truncate or extend the disk with zeroes to this size");
    static final Parameter VARIABLE = new Parameter("VAR", "DATA",
            "Any other key: the value of $VAR in data= (before the environment variable VAR)");
    /** The system property {@code -D data.AST=1} sets: print the optimised expression. */
    static final String AST_FLAG = "nbd4j.debug.data.AST";
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> environment;
    private final BooleanSupplier astWanted;
    /** Receives the lines of {@code -D data.AST=1}. */
    private final Consumer<String> debug;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private String source;
    private String sourceValue;
    private long size = -1;
    private SparseImage content;
    private PageTable table;

    /**
     * The plugin as the server loads it. The AST goes straight to stderr in nbdkit's debug-line form,
     * whatever the log level: it is printed only when asked for with {@code -D data.AST=1}.
     */
    public DataPlugin() {
        this(System::getenv, () -> Integer.getInteger(AST_FLAG, 0) != 0, line -> System.err.println("nbd4j: debug: " + line));
    }

    /**
     * {@code environment} answers {@code $VAR} after the parameters; when {@code astWanted} says so at
     * {@link #configComplete}, {@code debug} receives the lines of the optimised expression.
     */
    DataPlugin(Function<String, String> environment, BooleanSupplier astWanted, Consumer<String> debug) {
        this.environment = environment;
        this.astWanted = astWanted;
        this.debug = debug;
    }

    @Override
    public String name() {
        return "data";
    }

    @Override
    public String description() {
        return "Disk whose content is given on the command line";
    }

    @Override
    public String magicConfigKey() {
        return DATA.key();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(DATA, RAW, BASE64, SIZE, MemoryPlugin.ALLOCATOR, VARIABLE);
    }

    /** Other keys are the values of {@code $VAR}s, as in nbdkit. */
    @Override
    public boolean acceptsUndeclaredKeys() {
        return true;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "data", "raw", "base64" -> {
                if (source != null) {
                    throw new ConfigException("data: exactly one of data=, raw= or base64= may be given (" + source + "= came first, then " + key + "=)");
                }
                source = key;
                sourceValue = value;
            }
            case "size" -> size = Values.parseSize(key, value);
            case "allocator" -> MemoryPlugin.parseAllocator(value);
            default -> variable(key, value);
        }
    }

    private void variable(String key, String value) throws ConfigException {
        if (!VARIABLE_NAME.matcher(key).matches()) {
            throw new ConfigException("data: unknown parameter '" + key + "' (accepted: data, raw, base64, size, allocator,"
                    + " or VAR=DATA for $VAR, where VAR is a letter or '_' followed by letters, digits or '_')");
        }
        if (variables.putIfAbsent(key, value) != null) {
            throw new ConfigException("data: " + key + "= is given twice");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (source == null) {
            throw new ConfigException("data: one of data=, raw= or base64= is required");
        }
        if (!variables.isEmpty() && !source.equals("data")) {
            throw new ConfigException("data: " + String.join("=, ", variables.keySet()) + "= can only be used with data="
                    + " (they give the values of $VARs), not with " + source + "=");
        }
        long contentSize = switch (source) {
            case "data" -> evaluate(sourceValue);
            case "raw" -> literal(sourceValue.getBytes(StandardCharsets.UTF_8));
            default -> literal(decodeBase64(sourceValue));
        };
        if (size < 0) {
            size = contentSize;
        }
    }

    private long evaluate(String text) throws ConfigException {
        Evaluator.Result result = DataLanguage.evaluate(text, variables, environment, astWanted.getAsBoolean() ? debug : null);
        content = result.image();
        return result.size();
    }

    private long literal(byte[] bytes) {
        content = new SparseImage();
        content.write(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    private static byte[] decodeBase64(String text) throws ConfigException {
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("base64: not valid base64: " + e.getMessage(), e);
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) throws Exception {
        PageTable loaded = new PageTable();
        try {
            content.drain((offset, chunk) -> {
                if (offset < size) {
                    loaded.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - offset)), offset);
                }
            });
        } catch (Exception e) {
            loaded.close();
            throw e;
        }
        table = loaded;
        content = null;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new DataHandle(table, size);
    }

    @Override
    public void unload() {
        if (table != null) {
            table.close();
            table = null;
        }
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("data_base64", "yes");
    }
}
