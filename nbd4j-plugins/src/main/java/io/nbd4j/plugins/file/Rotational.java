package io.nbd4j.plugins.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a block device spins, from {@code /sys/dev/block/MAJOR:MINOR/queue/rotational} (a partition
 * keeps its {@code queue} in the parent disk's directory). Stateless.
 */
final class Rotational {
    private Rotational() {}

    /** The answer for device {@code major:minor}; false when sysfs does not say. */
    static boolean of(int major, int minor) {
        Path device = Path.of("/sys/dev/block/" + major + ":" + minor);
        for (Path candidate : new Path[] {device.resolve("queue/rotational"), device.resolve("../queue/rotational")}) {
            try {
                return Files.readString(candidate).strip().equals("1");
            } catch (IOException | SecurityException e) {
                // Not there (a partition, a virtual device, no sysfs): try the next place.
            }
        }
        return false;
    }
}
