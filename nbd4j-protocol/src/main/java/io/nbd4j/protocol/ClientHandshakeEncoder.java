package io.nbd4j.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes what a client sends during the fixed newstyle handshake: its 32-bit flags, option requests
 * ({@code IHAVEOPT}, option, length, data) and the data of the options that have a structure
 * ({@code NBD_OPT_INFO}/{@code GO}, {@code NBD_OPT_LIST_META_CONTEXT}/{@code SET_META_CONTEXT}).
 *
 * <p>Every method returns a new buffer (flipped, ready to write) or array that the caller owns.
 * Stateless: safe to call from any thread.
 */
public final class ClientHandshakeEncoder {
    public static final int OPTION_HEADER_SIZE = 16;
    /** The protocol's limit for a string (export name, query) on the wire. */
    public static final int MAX_STRING_BYTES = 4096;

    private ClientHandshakeEncoder() {}

    public static ByteBuffer clientFlags(int flags) {
        return ByteBuffer.allocate(4).putInt(flags).flip();
    }

    /** An option request: header followed by {@code data} (copied). */
    public static ByteBuffer option(int option, byte[] data) {
        return ByteBuffer.allocate(OPTION_HEADER_SIZE + data.length)
                .putLong(Magic.IHAVEOPT)
                .putInt(option)
                .putInt(data.length)
                .put(data)
                .flip();
    }

    /** Data of {@code NBD_OPT_INFO} and {@code NBD_OPT_GO}: the export name and the {@code NBD_INFO_*} requested. */
    public static byte[] infoRequest(String exportName, List<Integer> infoRequests) {
        byte[] name = string("export name", exportName);
        ByteBuffer data = ByteBuffer.allocate(4 + name.length + 2 + 2 * infoRequests.size());
        data.putInt(name.length).put(name).putShort((short) infoRequests.size());
        for (int info : infoRequests) {
            data.putShort((short) info);
        }
        return data.array();
    }

    /** Data of {@code NBD_OPT_LIST_META_CONTEXT} and {@code NBD_OPT_SET_META_CONTEXT}. */
    public static byte[] metaContextRequest(String exportName, List<String> queries) {
        byte[] name = string("export name", exportName);
        byte[][] encoded = new byte[queries.size()][];
        int size = 4 + name.length + 4;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = string("metadata context query", queries.get(i));
            size += 4 + encoded[i].length;
        }
        ByteBuffer data = ByteBuffer.allocate(size);
        data.putInt(name.length).put(name).putInt(encoded.length);
        for (byte[] query : encoded) {
            data.putInt(query.length).put(query);
        }
        return data.array();
    }

    /** The UTF-8 bytes of a protocol string, refusing what the protocol forbids. */
    public static byte[] string(String what, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes of UTF-8; the limit is "
                    + MAX_STRING_BYTES);
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL characters");
        }
        return bytes;
    }
}
