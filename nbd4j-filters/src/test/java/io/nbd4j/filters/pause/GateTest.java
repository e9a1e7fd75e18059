package io.nbd4j.filters.pause;

import io.nbd4j.filters.testkit.RecordingConnection;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class GateTest {
    final Gate gate = new Gate();
    final RecordingConnection connection = new RecordingConnection();

    static void awaitWaiting(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
    }

    @Test
    void aPauseIsAcknowledgedOnlyOnceTheRequestsInsideHaveLeft() throws Exception {
        gate.enter(connection);
        AtomicBoolean paused = new AtomicBoolean();
        Thread pauser = Thread.ofPlatform().start(() -> {
            try {
                gate.pause();
                paused.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(pauser);
        assertThat(paused).isFalse();

        gate.leave();
        pauser.join();
        assertThat(paused).isTrue();
    }

    @Test
    void requestsArrivingDuringAPauseWaitUntilTheResume() throws Exception {
        gate.pause();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        Thread request = Thread.ofPlatform().start(() -> {
            try {
                gate.enter(connection);
                entered.complete(null);
            } catch (NbdException e) {
                entered.completeExceptionally(e);
            }
        });
        awaitWaiting(request);
        assertThat(entered).isNotDone();

        gate.resume();
        entered.get();
        gate.leave();
    }

    @Test
    void aHeldRequestEndsWithEshutdownWhenItsConnectionEnds() throws Exception {
        gate.pause();
        CompletableFuture<NbdError> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                gate.enter(connection);
                outcome.complete(null);
            } catch (NbdException e) {
                outcome.complete(e.error());
            }
        });
        connection.end();

        assertThat(outcome.get()).isEqualTo(NbdError.ESHUTDOWN);
    }
}
