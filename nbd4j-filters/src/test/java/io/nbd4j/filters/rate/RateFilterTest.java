package io.nbd4j.filters.rate;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.GatheringPlugin;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class RateFilterTest {
    /** 32 reads within the burst are all inside the plugin at once: the buckets serialize nothing. */
    @Test
    void readsWithinTheLimitRunInParallel() throws Exception {
        int reads = 32;
        try (ServedStack served = ServedStack.of(new GatheringPlugin(1 << 20, reads), new RateFilter())
                .config("rate=1G", "connection-rate=1G").server(b -> b.threads(reads)).start();
             NbdClient client = served.connect()) {
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                replies.add(client.preadAsync(ByteBuffer.allocate(4096), 4096L * i, 0));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get();
            assertThat(replies).allMatch(r -> r.isDone() && !r.isCompletedExceptionally());
        }
    }

    @Test
    void ratesMustBeGivenOnceAndNotZeroAndBurstinessPositive() {
        assertThatThrownBy(() -> Layers.configured(new RateFilter(), "rate=1M", "rate=2M"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate is set twice");
        assertThatThrownBy(() -> Layers.configured(new RateFilter(), "connection-rate=0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be 0");
        assertThatThrownBy(() -> Layers.configured(new RateFilter(), "burstiness=0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> Layers.configured(new RateFilter(), "rate=fast"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate");
    }
}
