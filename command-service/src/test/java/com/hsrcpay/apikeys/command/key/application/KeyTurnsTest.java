package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.shared.key.KeyId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTurnsTest {

    private final ExecutorService writers = Executors.newFixedThreadPool(30);

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    @Test
    void writesOfOneKeyTakeTurnsAndOtherKeysDoNotWait() throws Exception {
        KeyTurns turns = new KeyTurns(Duration.ofSeconds(5));
        KeyId key = KeyId.newId();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            done.add(writers.submit(() -> turns.inTurn(key, () -> {
                mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                LockSupport.parkNanos(1_000_000); // dwell inside, so writes that could overlap would
                inside.decrementAndGet();
                return n;
            })));
        }
        for (Future<Integer> f : done) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(mostAtOnce).as("one write of the key at a time").hasValue(1);

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writers.submit(() -> turns.inTurn(key, () -> {
            holding.countDown();
            awaitQuietly(release);
            return null;
        }));
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(turns.inTurn(KeyId.newId(), () -> "other key")).isEqualTo("other key");
        release.countDown();
    }

    @Test
    void aWriteThatDoesNotGetItsTurnInTimeIsAConflict() throws Exception {
        KeyTurns turns = new KeyTurns(Duration.ofMillis(100));
        KeyId key = KeyId.newId();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writers.submit(() -> turns.inTurn(key, () -> {
            holding.countDown();
            awaitQuietly(release);
            return null;
        }));
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> turns.inTurn(key, () -> "never"))
                .isInstanceOfSatisfying(KeyCommandRejected.class,
                        e -> assertThat(e.rejection()).isEqualTo(Rejection.CONCURRENT_MODIFICATION));
        release.countDown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
