package io.nbd4j.server;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Plugin;

import java.util.List;

/** Builds configured, ready layer stacks and servers without listeners for in-memory tests. */
final class ServerFixture {
    private ServerFixture() {}

    static LayerStack stack(Plugin plugin, Filter... filters) throws Exception {
        LayerStack stack = new LayerStack(List.of(filters), plugin);
        stack.configComplete();
        stack.getReady();
        return stack;
    }

    static NbdServer.Builder builder(Plugin plugin, Filter... filters) throws Exception {
        return NbdServer.builder().layers(stack(plugin, filters));
    }
}
