package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;

/**
 * A filter over a plugin, seen as one plugin, so that {@link FakeServer} can put a second filter on top
 * (the multi-conn filter over the cache filter, say). Each layer is wrapped in a {@link ServedNext} without
 * a lock; prepare runs inner to outer, finish and close outer to inner, as in the server.
 */
public final class StackedPlugin implements Plugin {
    private final Filter filter;
    private final Plugin plugin;

    public StackedPlugin(Filter filter, Plugin plugin) {
        this.filter = filter;
        this.plugin = plugin;
    }

    @Override public String name() { return filter.name() + "+" + plugin.name(); }
    @Override public String description() { return filter.name() + " over " + plugin.name(); }
    @Override public ThreadModel threadModel() { return plugin.threadModel().min(filter.threadModel()); }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        ServedNext[] below = new ServedNext[1];
        Handle filterHandle = filter.open(request, r -> below[0] = new ServedNext(plugin.open(r), null));
        return new FilterHandle(new ServedNext(filterHandle, null)) {
            @Override
            public void prepare(boolean readOnly) throws IOException {
                below[0].prepare(readOnly);
                filterHandle.prepare(readOnly);
            }

            @Override
            public void finish() throws IOException {
                filterHandle.finish();
                below[0].finish();
            }

            @Override
            public void close() {
                filterHandle.close();
                below[0].close();
            }
        };
    }
}
