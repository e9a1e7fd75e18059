package com.example.nbd4j;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code hello}: a 1 MiB read-only disk filled with "Hello, NAME!\n" over and over. */
public final class HelloPlugin implements Plugin {
    private static final Parameter NAME = new Parameter("name", "NAME", "Who to greet (default: world)");
    private byte[] greeting = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);

    @Override public String name() { return "hello"; }
    @Override public String description() { return "Disk filled with a greeting"; }
    @Override public String magicConfigKey() { return NAME.key(); }
    @Override public List<Parameter> parameters() { return List.of(NAME); }

    @Override
    public void config(String key, String value) throws ConfigException {
        // The server passes only declared keys, so key is always "name".
        if (value.isBlank()) {
            throw new ConfigException("name: must not be empty");
        }
        greeting = ("Hello, " + value + "!\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One handle per connection; it keeps no state, so any number of threads may call it. */
    @Override
    public Handle open(OpenRequest request) {
        byte[] text = greeting;
        return new Handle() {
            @Override public long size() { return 1 << 20; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) {
                for (int i = buffer.position(); i < buffer.limit(); i++, offset++) {
                    buffer.put(i, text[(int) (offset % text.length)]);
                }
            }
        };
    }
}
