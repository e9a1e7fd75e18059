package io.nbd4j.plugins.file;

import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Small fixtures shared by the file-backed plugin tests. */
public final class Requests {
    private Requests() {}

    public static OpenRequest open(String exportName) {
        return new OpenRequest(exportName, false, false, 1, ThreadModel.PARALLEL, false);
    }

    public static OpenRequest openReadOnly(String exportName) {
        return new OpenRequest(exportName, true, false, 1, ThreadModel.PARALLEL, false);
    }

    public static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String text(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate().flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    public static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** A direct buffer (what the server passes, so the native read and write paths run) of {@code length} bytes of {@code value}. */
    public static ByteBuffer directFilled(int length, int value) {
        return ByteBuffer.allocateDirect(length).put(filled(length, value)).flip();
    }
}
