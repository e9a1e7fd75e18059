package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetachedConnectionTest {
    final DetachedConnection connection = new DetachedConnection(ClientInfo.withoutAddress(7));

    @Test
    void aRequestOutsideAServerGetsADetachedConnectionOfAClientWithoutAddress() {
        OpenRequest request = new OpenRequest("disk", false, false, 7, ThreadModel.PARALLEL, false);

        assertThat(request.connection()).isInstanceOf(DetachedConnection.class);
        assertThat(request.client().connectionId()).isEqualTo(7);
        assertThat(request.client().address()).isNull();
        assertThat(request.withExportName("other").connection()).isSameAs(request.connection());
        assertThat(request.readOnlyBelow().connection()).isSameAs(request.connection());
    }

    @Test
    void aSleepLastsItsTimeWhileNothingEnds() throws Exception {
        connection.sleep(Duration.ofMillis(1));

        assertThat(connection.isEnding()).isFalse();
        assertThat(connection.disconnectRequested()).isFalse();
    }

    @Test
    void aDisconnectWakesASleeperWithEshutdownAndIsRecorded() throws Exception {
        AtomicReference<Throwable> woke = new AtomicReference<>();
        CountDownLatch asleep = new CountDownLatch(1);
        Thread sleeper = Thread.ofVirtual().start(() -> {
            asleep.countDown();
            try {
                connection.sleep(Duration.ofHours(1));
            } catch (NbdException e) {
                woke.set(e);
            }
        });
        asleep.await();
        connection.disconnect(false);
        sleeper.join();

        assertThat(NbdException.errorOf(woke.get())).isEqualTo(NbdError.ESHUTDOWN);
        assertThat(connection.disconnectRequested()).isTrue();
        assertThat(connection.disconnectForced()).isFalse();
    }

    @Test
    void aShutdownEndsTheConnectionAndIsVisibleThroughItsServer() {
        connection.server().shutdown();

        assertThat(connection.server().isShuttingDown()).isTrue();
        assertThat(connection.isEnding()).isTrue();
        assertThatThrownBy(() -> connection.sleep(Duration.ofHours(1)))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ESHUTDOWN));
    }

    @Test
    void aServerSleepOutlastsADisconnectButNotAShutdown() throws Exception {
        connection.disconnect(false);
        connection.server().sleepUnlessShutdown(Duration.ofMillis(1));

        connection.server().shutdown();
        assertThatThrownBy(() -> connection.server().sleepUnlessShutdown(Duration.ofHours(1)))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ESHUTDOWN));
    }
}
