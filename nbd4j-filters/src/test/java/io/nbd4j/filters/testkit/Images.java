package io.nbd4j.filters.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Disk images for the tests of the filters that decode formats: repeatable bytes, and what reached the plugin. */
public final class Images {
    private Images() {}

    /** {@code length} repeatable bytes from {@code seed}: random where {@code random} says, zeroes elsewhere. */
    public static byte[] mixed(int length, long seed, int... zeroRuns) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        for (int i = 0; i + 1 < zeroRuns.length; i += 2) {
            Arrays.fill(b, zeroRuns[i], zeroRuns[i] + zeroRuns[i + 1], (byte) 0);
        }
        return b;
    }

    /** The bytes the plugin was asked to read, summed over its {@code pread} calls. */
    public static long bytesRead(ScriptedPlugin disk) {
        return bytesRead(disk.calls());
    }

    static long bytesRead(List<String> calls) {
        long total = 0;
        for (String call : calls) {
            if (call.startsWith("pread ")) {
                String range = call.split(" ")[1];
                total += Long.parseLong(range.substring(range.indexOf('+') + 1));
            }
        }
        return total;
    }
}
