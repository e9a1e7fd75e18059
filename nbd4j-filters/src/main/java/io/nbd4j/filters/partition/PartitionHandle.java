package io.nbd4j.filters.partition;

import io.nbd4j.filters.common.WindowHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;

/**
 * The partition filter for one connection: reads the partition table in {@code prepare} and serves the
 * chosen partition as a {@link WindowHandle}.
 *
 * <p><b>Threads.</b> As {@link WindowHandle}: immutable once prepared.
 */
final class PartitionHandle extends WindowHandle {
    private final int number;

    PartitionHandle(Next next, int number) {
        super(next);
        this.number = number;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        Partition p = PartitionTable.find(next, number);
        window(p.offset(), p.length());
    }
}
