package io.nbd4j.filters.blocksize;

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
 * {@code --filter=blocksize}: lets clients send requests of any size and alignment to a layer below
 * that needs aligned requests of bounded size. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the {@link RmwLocks} are shared by every connection.
 */
public final class BlocksizeFilter implements Filter {
    /** The largest minblock: a read-modify-write must fit in one of {@link RmwLocks}' granules. */
    static final long MAX_MINBLOCK = 1L << RmwLocks.GRANULE_SHIFT;
    private static final long UINT32_MAX = 0xffff_ffffL;

    private long minblock;
    private long maxdata;
    private long maxlen;
    private final RmwLocks locks = new RmwLocks();

    @Override
    public String name() {
        return "blocksize";
    }

    @Override
    public String description() {
        return "split, align and read-modify-write requests for a layer below with block size limits";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("minblock", "SIZE", "alignment of every request below, a power of 2 up to 64K "
                        + "(default: the layer below's minimum, or 1)"),
                new Parameter("maxdata", "SIZE", "largest read, write or cache request below, a multiple of minblock "
                        + "(default: 64M, or less if the layer below says so)"),
                new Parameter("maxlen", "SIZE", "largest trim, zero or extents request below, "
                        + "a multiple of minblock (default: 4G minus minblock)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "minblock" -> minblock = Values.parseSize(key, value, 1, UINT32_MAX);
            case "maxdata" -> maxdata = Values.parseSize(key, value, 1, UINT32_MAX);
            case "maxlen" -> maxlen = Values.parseSize(key, value, 1, UINT32_MAX);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (minblock != 0 && (Long.bitCount(minblock) != 1 || minblock > MAX_MINBLOCK)) {
            throw new ConfigException("minblock: " + minblock + " must be a power of 2 no larger than 64K");
        }
        if (minblock != 0 && maxdata % minblock != 0) {
            throw new ConfigException("maxdata: " + maxdata + " must be a multiple of minblock (" + minblock + ")");
        }
        if (minblock != 0 && maxlen % minblock != 0) {
            throw new ConfigException("maxlen: " + maxlen + " must be a multiple of minblock (" + minblock + ")");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new BlocksizeHandle(below.open(request), new Configured(minblock, maxdata, maxlen), locks);
    }

    /** The limits as configured; 0 where left out. */
    record Configured(long minblock, long maxdata, long maxlen) {}
}
