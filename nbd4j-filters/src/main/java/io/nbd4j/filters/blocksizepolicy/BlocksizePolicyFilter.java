package io.nbd4j.filters.blocksizepolicy;

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
 * {@code --filter=blocksize-policy}: advertises block size constraints and decides what happens to
 * requests that break them. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; holds nothing per connection but the handle.
 */
public final class BlocksizePolicyFilter implements Filter {
    private long minimum;
    private long preferred;
    private long maximum;
    private long writeDisconnect;
    private boolean refuse;
    private Policy policy;

    @Override
    public String name() {
        return "blocksize-policy";
    }

    @Override
    public String description() {
        return "advertise block size constraints and refuse or allow requests that break them";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("blocksize-error-policy", "allow|error",
                        "pass requests that break the block size on to the layer below (allow, default) or refuse them with EINVAL"),
                new Parameter("blocksize-minimum", "SIZE", "advertise this minimum block size, a power of 2 up to 64K"),
                new Parameter("blocksize-preferred", "SIZE", "advertise this preferred block size, a power of 2 from 512 to 32M"),
                new Parameter("blocksize-maximum", "SIZE", "advertise this maximum block size, a multiple of the minimum"),
                new Parameter("blocksize-write-disconnect", "SIZE", "drop the connection of a client that writes more than SIZE at once"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "blocksize-error-policy" -> refuse = Values.parseChoice(key, value, "allow", "error").equals("error");
            case "blocksize-minimum" -> minimum = Values.parseSize(key, value, 0, Policy.UINT32_MAX);
            case "blocksize-preferred" -> preferred = Values.parseSize(key, value, 0, Policy.UINT32_MAX);
            case "blocksize-maximum" -> maximum = Values.parseSize(key, value, 0, Policy.UINT32_MAX);
            case "blocksize-write-disconnect" -> writeDisconnect = Values.parseSize(key, value, 0, Policy.UINT32_MAX);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (minimum != 0 && (Long.bitCount(minimum) != 1 || minimum > 65536)) {
            throw new ConfigException("blocksize-minimum: " + minimum + " must be a power of 2 no larger than 64K");
        }
        if (preferred != 0 && (Long.bitCount(preferred) != 1 || preferred < 512 || preferred > 32 << 20)) {
            throw new ConfigException("blocksize-preferred: " + preferred + " must be a power of 2 from 512 to 32M");
        }
        if (minimum != 0 && maximum != 0 && maximum != Policy.UINT32_MAX && maximum % minimum != 0) {
            throw new ConfigException("blocksize-maximum: " + maximum + " must be 4294967295 or a multiple of blocksize-minimum (" + minimum + ")");
        }
        if (minimum != 0 && preferred != 0 && minimum > preferred) {
            throw new ConfigException("blocksize-minimum (" + minimum + ") must not be larger than blocksize-preferred (" + preferred + ")");
        }
        if (preferred != 0 && maximum != 0 && preferred > maximum) {
            throw new ConfigException("blocksize-preferred (" + preferred + ") must not be larger than blocksize-maximum (" + maximum + ")");
        }
        if (minimum != 0 && writeDisconnect != 0 && writeDisconnect <= minimum) {
            throw new ConfigException("blocksize-write-disconnect (" + writeDisconnect + ") must be larger than blocksize-minimum (" + minimum + ")");
        }
        policy = new Policy(minimum, preferred, maximum, writeDisconnect, refuse);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new PolicyHandle(below.open(request), policy, request.connection());
    }
}
