package io.nbd4j.plugins.s3;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where each byte of a disk lives, in nbdkit's S3 layout: object {@code i} holds the disk's bytes
 * {@code [i * objectSize, (i + 1) * objectSize)} under the key {@code PREFIX/%016x} (the object number in 16
 * lower-case hexadecimal digits), so keys sort in disk order. Immutable.
 *
 * @param prefix     the {@code key=} parameter
 * @param diskSize   the disk size, a multiple of {@code objectSize}
 * @param objectSize the size of every object
 */
record ObjectLayout(String prefix, long diskSize, int objectSize) {
    private static final HexFormat HEX = HexFormat.of();

    /** One object's share of a request. {@code bufferOffset} is where it starts within the request. */
    record Piece(long index, int offsetInObject, int length, int bufferOffset) {
        boolean wholeObject(int objectSize) {
            return offsetInObject == 0 && length == objectSize;
        }
    }

    String key(long index) {
        return prefix + "/" + HEX.toHexDigits(index);
    }

    /** The object number named by {@code key}, or -1 for a key that is not one of this disk's objects. */
    long index(String key) {
        int digits = 16;
        if (key.length() != prefix.length() + 1 + digits || !key.startsWith(prefix + "/")) {
            return -1;
        }
        String hex = key.substring(prefix.length() + 1);
        for (int i = 0; i < digits; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0 || Character.isUpperCase(hex.charAt(i))) {
                return -1;
            }
        }
        long index = HEX.fromHexDigitsToLong(hex);
        return index >= 0 && index < objectCount() ? index : -1;
    }

    long objectCount() {
        return diskSize / objectSize;
    }

    /** The objects a request of {@code length} bytes at {@code offset} touches, in order. */
    List<Piece> pieces(long offset, long length) {
        List<Piece> pieces = new ArrayList<>();
        long done = 0;
        while (done < length) {
            long at = offset + done;
            int inObject = (int) (at % objectSize);
            int n = (int) Math.min(objectSize - inObject, length - done);
            pieces.add(new Piece(at / objectSize, inObject, n, (int) Math.min(done, Integer.MAX_VALUE)));
            done += n;
        }
        return pieces;
    }
}
