package io.nbd4j.filters.noparallel;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * {@code --filter=noparallel}: lowers the thread model the server runs with, and changes nothing else.
 * Requests pass straight through (the default {@link io.nbd4j.spi.FilterHandle}).
 *
 * <p><b>Threads.</b> Configured on the main thread; holds no per-connection state.
 */
public final class NoParallelFilter implements Filter {
    static final String KEY = "serialize";

    private ThreadModel model = ThreadModel.SERIALIZE_REQUESTS;

    @Override
    public String name() {
        return "noparallel";
    }

    @Override
    public String description() {
        return "serialize requests, all requests or connections";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter(KEY, "requests|all-requests|connections",
                "one request at a time per connection (requests, default), across all connections "
                        + "(all-requests) or one connection at a time (connections)",
                List.of("serialise")));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!KEY.equals(key) && !"serialise".equals(key)) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        model = switch (Values.parseChoice(key, value, "requests", "all-requests", "all_requests", "connections")) {
            case "requests" -> ThreadModel.SERIALIZE_REQUESTS;
            case "connections" -> ThreadModel.SERIALIZE_CONNECTIONS;
            default -> ThreadModel.SERIALIZE_ALL_REQUESTS;
        };
    }

    @Override
    public ThreadModel threadModel() {
        return model;
    }
}
