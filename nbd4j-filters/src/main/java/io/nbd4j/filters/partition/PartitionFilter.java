package io.nbd4j.filters.partition;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=partition}: serves one partition of a disk with an MBR or GPT partition table. See
 * the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the number.
 */
public final class PartitionFilter implements Filter {
    private static final Parameter PARTITION = new Parameter("partition", "N",
            "the partition to serve, counting from 1 (required; 5 and up are MBR logical partitions)");

    private int number;

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public String description() {
        return "serve one partition of a partitioned disk";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(PARTITION);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (PARTITION.matches(key)) {
            number = (int) Values.parseInteger(key, value, 1, Integer.MAX_VALUE);
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (number == 0) {
            throw new ConfigException("partition: the partition=N parameter is required (partitions count from 1)");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new PartitionHandle(below.open(request), number);
    }
}
