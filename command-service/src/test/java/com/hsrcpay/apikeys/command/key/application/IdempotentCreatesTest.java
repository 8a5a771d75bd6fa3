package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Concurrent retries of one idempotent create do the work once and all learn its outcome. */
class IdempotentCreatesTest {

    private static final IdempotentCreates.Request REQUEST =
            new IdempotentCreates.Request(new AccountId("acct_1"), Mode.LIVE, "retry-me");
    private static final KeyState KEY = new KeyState(KeyId.newId(), new AccountId("acct_1"), Mode.LIVE, null,
            "Backend", KeyType.SECRET, "sk_live_…abcd", Permissions.none(), Map.of(), KeyStatus.ACTIVE, null, false,
            false, Instant.EPOCH, Instant.EPOCH, 1, Map.of(), List.of(), null, null);

    private final ExecutorService clients = Executors.newFixedThreadPool(100);

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    @Test
    void retriesInFlightTogetherShareOneCreateAndAreReplayed() throws Exception {
        IdempotentCreates creates = new IdempotentCreates(Duration.ofSeconds(5), Duration.ofMinutes(1));
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger created = new AtomicInteger();
        Future<IssuedKey> leader = clients.submit(() -> creates.once(REQUEST, "sha", () -> {
            created.incrementAndGet();
            leaderInside.countDown();
            await(release);
            return new IssuedKey(KEY, "sk_live_plaintext", false);
        }));
        assertThat(leaderInside.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<IssuedKey>> followers = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            followers.add(waitingFollower(() -> creates.once(REQUEST, "sha", () -> {
                created.incrementAndGet();
                return new IssuedKey(KEY, "sk_live_other", false);
            })));
        }
        // a copy with another body is refused at once, the first request still running
        assertThatThrownBy(() -> creates.once(REQUEST, "other-sha", () -> null))
                .isInstanceOfSatisfying(KeyCommandRejected.class,
                        e -> assertThat(e.rejection()).isEqualTo(Rejection.IDEMPOTENCY_KEY_REUSED));
        release.countDown();

        assertThat(leader.get(5, TimeUnit.SECONDS).plaintext()).isEqualTo("sk_live_plaintext");
        for (Future<IssuedKey> follower : followers) {
            IssuedKey replayed = follower.get(5, TimeUnit.SECONDS);
            assertThat(replayed.replayed()).isTrue();
            assertThat(replayed.plaintext()).isNull();
            assertThat(replayed.key().keyId()).isEqualTo(KEY.keyId());
        }
        assertThat(created).hasValue(1);
    }

    @Test
    void retriesAfterTheFirstFinishedAreAnsweredFromMemoryWithoutRunningTheCreate() {
        IdempotentCreates creates = new IdempotentCreates(Duration.ofSeconds(5), Duration.ofMinutes(1));
        AtomicInteger created = new AtomicInteger();
        IssuedKey first = creates.once(REQUEST, "sha", () -> {
            created.incrementAndGet();
            return new IssuedKey(KEY, "sk_live_plaintext", false);
        });
        assertThat(first.plaintext()).isEqualTo("sk_live_plaintext");

        for (int i = 0; i < 100; i++) {
            IssuedKey retry = creates.once(REQUEST, "sha", () -> {
                created.incrementAndGet();
                throw new AssertionError("a finished create is answered from memory");
            });
            assertThat(retry.replayed()).isTrue();
            assertThat(retry.plaintext()).isNull();
            assertThat(retry.key()).isSameAs(KEY);
        }
        assertThat(created).hasValue(1);
        assertThatThrownBy(() -> creates.once(REQUEST, "other-sha", () -> null))
                .isInstanceOfSatisfying(KeyCommandRejected.class,
                        e -> assertThat(e.rejection()).isEqualTo(Rejection.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void aWriteToTheKeyOrAFailedFirstRequestLeavesNothingRememberedForTheNextRetry() {
        IdempotentCreates creates = new IdempotentCreates(Duration.ofSeconds(5), Duration.ofMinutes(1));
        creates.once(REQUEST, "sha", () -> new IssuedKey(KEY, "sk_live_plaintext", false));
        creates.forget(KeyId.newId()); // another key's write changes nothing here
        assertThat(creates.once(REQUEST, "sha", () -> null).key()).isSameAs(KEY);

        creates.forget(KEY.keyId());
        KeyState patched = new KeyState(KEY.keyId(), KEY.accountId(), Mode.LIVE, null, "Renamed", KeyType.SECRET,
                KEY.secretHint(), Permissions.none(), Map.of(), KeyStatus.ACTIVE, null, false, false, Instant.EPOCH,
                Instant.EPOCH, 2, Map.of(), List.of(), null, null);
        IssuedKey afterPatch = creates.once(REQUEST, "sha", () -> new IssuedKey(patched, null, true));
        assertThat(afterPatch.key()).as("asked again, answered as the key is now").isSameAs(patched);

        IdempotentCreates failing = new IdempotentCreates(Duration.ofSeconds(5), Duration.ofMinutes(1));
        RuntimeException down = new RuntimeException("pool", new SQLTransientConnectionException("timeout"));
        assertThatThrownBy(() -> failing.once(REQUEST, "sha", () -> {
            throw down;
        })).isSameAs(down);
        assertThat(failing.once(REQUEST, "sha", () -> new IssuedKey(KEY, "sk_live_plaintext", false)).plaintext())
                .as("a first request that failed is run again by its retry").isEqualTo("sk_live_plaintext");
    }

    @Test
    void followersGetTheLeadersRefusalOrItsUnavailability() throws Exception {
        KeyCommandRejected invalid = KeyCommandRejected.invalid("name", "required", "name is required");
        assertThat(followerOutcomeWhenLeaderThrows(invalid)).isSameAs(invalid);

        RuntimeException unavailable = new RuntimeException("pool", new SQLTransientConnectionException("timeout"));
        assertThat(followerOutcomeWhenLeaderThrows(unavailable)).isSameAs(unavailable);
    }

    @Test
    void aFollowerWaitsBoundedlyForASlowFirstRequest() throws Exception {
        IdempotentCreates creates = new IdempotentCreates(Duration.ofMillis(200), Duration.ofMinutes(1));
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        clients.submit(() -> creates.once(REQUEST, "sha", () -> {
            leaderInside.countDown();
            await(release);
            return new IssuedKey(KEY, "p", false);
        }));
        assertThat(leaderInside.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        assertThatThrownBy(() -> creates.once(REQUEST, "sha", () -> null))
                .isInstanceOfSatisfying(KeyCommandRejected.class, e -> assertThat(e.details())
                        .containsEntry("reason", "idempotent_request_in_progress"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        release.countDown();
    }

    private Throwable followerOutcomeWhenLeaderThrows(RuntimeException failure) throws Exception {
        IdempotentCreates creates = new IdempotentCreates(Duration.ofSeconds(5), Duration.ofMinutes(1));
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<IssuedKey> leader = clients.submit(() -> creates.once(REQUEST, "sha", () -> {
            leaderInside.countDown();
            await(release);
            throw failure;
        }));
        assertThat(leaderInside.await(5, TimeUnit.SECONDS)).isTrue();
        Future<IssuedKey> follower = waitingFollower(() -> creates.once(REQUEST, "sha", () -> null));
        release.countDown();
        assertThatThrownBy(() -> leader.get(5, TimeUnit.SECONDS)).hasCause(failure);
        try {
            follower.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the follower should fail like its leader");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    /** Runs {@code call} on a thread of its own and returns once that thread waits for the first request's outcome. */
    private static Future<IssuedKey> waitingFollower(java.util.concurrent.Callable<IssuedKey> call) {
        java.util.concurrent.FutureTask<IssuedKey> task = new java.util.concurrent.FutureTask<>(call);
        Thread thread = new Thread(task, "follower");
        thread.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> thread.getState() == Thread.State.TIMED_WAITING || task.isDone());
        return task;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
