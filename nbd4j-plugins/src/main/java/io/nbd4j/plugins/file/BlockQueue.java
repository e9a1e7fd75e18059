package io.nbd4j.plugins.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about a block device's request queue from {@code /sys/dev/block/MAJOR:MINOR/queue} (a
 * partition keeps its {@code queue} in the parent disk's directory). Stateless.
 */
final class BlockQueue {
    private BlockQueue() {}

    /** Whether the device spins; false when sysfs does not say. */
    static boolean rotational(int major, int minor) {
        return "1".equals(read(major, minor, "rotational"));
    }

    /**
     * Whether the device zeroes ranges itself (WRITE ZEROES offload), which is what makes
     * {@code FALLOC_FL_ZERO_RANGE} fast on it; false when sysfs does not say.
     */
    static boolean zeroesInHardware(int major, int minor) {
        String v = read(major, minor, "write_zeroes_max_bytes");
        return v != null && !v.equals("0");
    }

    private static String read(int major, int minor, String attribute) {
        Path device = Path.of("/sys/dev/block/" + major + ":" + minor);
        for (Path candidate : new Path[] {device.resolve("queue").resolve(attribute), device.resolve("../queue").resolve(attribute)}) {
            try {
                return Files.readString(candidate).strip();
            } catch (IOException | SecurityException e) {
                // Not there (a partition, a virtual device, no sysfs): try the next place.
            }
        }
        return null;
    }
}
