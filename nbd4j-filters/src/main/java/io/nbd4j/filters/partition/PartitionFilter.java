package io.nbd4j.filters.partition;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;

/**
 * {@code --filter=partition}: serves one partition of a disk with an MBR or GPT partition table. See
 * the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the number.
 */
public final class PartitionFilter extends DeclaredFilter {
    private static final Parameter PARTITION = new Parameter("partition", "N",
            "the partition to serve, counting from 1 (required; 5 and up are MBR logical partitions)");

    private int number;

    public PartitionFilter() {
        super("partition", "serve one partition of a partitioned disk", PARTITION);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        number = (int) Values.parseInteger(parameter.key(), value, 1, Integer.MAX_VALUE);
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
