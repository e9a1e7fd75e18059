package io.nbd4j.plugins.data;

import io.nbd4j.plugins.memory.MemoryPlugin;
import io.nbd4j.plugins.memory.PageTable;
import io.nbd4j.plugins.memory.SharedPageTable;
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
import java.util.List;
import java.util.Map;

/**
 * {@code data}: a small disk described on the command line, writable in memory like the memory
 * plugin (it is served from the same {@link PageTable}). Configured from the main thread; the image
 * is parsed in {@link #configComplete} so mistakes are reported before serving, and loaded into the
 * page table in {@link #getReady}.
 */
public final class DataPlugin implements Plugin {
    static final Parameter DATA = new Parameter("data", "DATA", "Disk content in nbdkit's data format, e.g. '1 2 3 @0x1fe 0x55 0xaa'");
    static final Parameter RAW = new Parameter("raw", "BYTES", "Disk content: the bytes of the string itself");
    static final Parameter BASE64 = new Parameter("base64", "BASE64", "Disk content: base64-encoded bytes");
    static final Parameter SIZE = new Parameter("size", "SIZE", "Truncate or extend the disk with zeroes to this size");

    private String source;
    private String sourceValue;
    private long size = -1;
    private DataParser.Piece content;
    private final SharedPageTable shared = new SharedPageTable();

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
        return List.of(DATA, RAW, BASE64, SIZE, MemoryPlugin.ALLOCATOR);
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
            default -> Plugin.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (source == null) {
            throw new ConfigException("data: one of data=, raw= or base64= is required");
        }
        content = switch (source) {
            case "data" -> DataParser.parse(sourceValue);
            case "raw" -> literal(sourceValue.getBytes(StandardCharsets.UTF_8));
            default -> literal(decodeBase64(sourceValue));
        };
        if (size < 0) {
            size = content.size();
        }
    }

    private static byte[] decodeBase64(String text) throws ConfigException {
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("base64: not valid base64: " + e.getMessage(), e);
        }
    }

    private static DataParser.Piece literal(byte[] bytes) {
        SparseImage image = new SparseImage();
        image.write(0, bytes, 0, bytes.length);
        return new DataParser.Piece(image, bytes.length);
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) throws Exception {
        PageTable loaded = new PageTable();
        content.image().forEachNonZeroChunk((offset, chunk) -> {
            if (offset < size) {
                loaded.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - offset)), offset);
            }
        });
        shared.serve(loaded);
        content = null;
    }

    @Override
    public Handle open(OpenRequest request) {
        return shared.open(size);
    }

    @Override
    public void unload() {
        shared.release();
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("data_base64", "yes");
    }
}
