package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credits on real PostgreSQL: never overspent under 50-way concurrency on one instance and on two, nor after a crash
 * of an instance holding a lease (whose credits come back when reclaimed); events applied once; RATE_LIMITED wins and
 * a refusal consumes nothing.
 */
class CreditsIT {

    private final UsageDatabase db = new UsageDatabase();
    private final List<UsageControl> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(UsageControl::close);
        db.close();
    }

    private UsageControl engine(UsageControlSettings settings) {
        UsageControl engine = db.engine(settings, Clock.systemUTC());
        engines.add(engine);
        return engine;
    }

    private UsageControl engine() {
        return engine(UsageDatabase.settings(50, 2_000, 5_000, 2_000));
    }

    private static UsageRequest credit(UUID key) {
        return UsageRequest.byDefault(key, List.of(), true, null);
    }

    /** Runs {@code attempts} verifications from {@code threads} threads at once; answers how many were admitted. */
    private static long hammer(int threads, int attempts, Callable<Boolean> verification) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong next = new AtomicLong();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    long admitted = 0;
                    while (next.incrementAndGet() <= attempts) {
                        if (verification.call()) {
                            admitted++;
                        }
                    }
                    return admitted;
                }));
            }
            go.countDown();
            long admitted = 0;
            for (Future<Long> result : results) {
                admitted += result.get(60, TimeUnit.SECONDS);
            }
            return admitted;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fortyParallelVerificationsAgainstTenCreditsAdmitExactlyTen() throws Exception {
        UsageControl engine = engine();
        UUID key = UUID.randomUUID();
        engine.credits().apply(key, 0, Adjustment.set(10));
        long admitted = hammer(40, 40, () -> engine.check(credit(key)).admitted());
        assertThat(admitted).isEqualTo(10);
        engine.start(); // reads learn the spends at the next sync
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(engine.credits().remaining(key)).hasValue(0L));
    }

    @Test
    void fiftyThreadsOnOneInstanceNeverSpendMoreThanRemainsAndLeaveNothingUnused() throws Exception {
        UsageControl engine = engine();
        UUID key = UUID.randomUUID();
        engine.credits().apply(key, 0, Adjustment.set(1_000));
        long admitted = hammer(50, 3_000, () -> engine.check(credit(key)).admitted());
        assertThat(admitted).isEqualTo(1_000);
    }

    @Test
    void twoInstancesOnOneDatabaseNeverSpendMoreThanRemains() throws Exception {
        UsageControl first = engine();
        UsageControl second = engine();
        first.start();
        second.start();
        UUID key = UUID.randomUUID();
        first.credits().apply(key, 0, Adjustment.set(2_000));
        AtomicLong turn = new AtomicLong();
        long admitted = hammer(50, 6_000, () -> (turn.incrementAndGet() % 2 == 0 ? first : second)
                .check(credit(key)).admitted());
        assertThat(admitted).as("never overspent").isLessThanOrEqualTo(2_000);
        // what one still holds goes to the other once it asks: without a crash nothing stays unused
        long rest = 0;
        for (int i = 0; i < 2_000 && admitted + rest < 2_000; i++) {
            rest += first.check(credit(key)).admitted() ? 1 : 0;
            rest += second.check(credit(key)).admitted() ? 1 : 0;
        }
        assertThat(admitted + rest).as("both drained one balance, exactly").isEqualTo(2_000);
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(first.credits().remaining(key)).hasValue(0L));
    }

    @Test
    void aCrashedInstancesLeaseIsNeverSpentByAnotherAndItsUnderUseIsAtMostTheLease() throws Exception {
        UsageControlSettings settings = UsageDatabase.settings(50, 500, 2_000, 60_000);
        UsageControl crashing = db.engine(settings, Clock.systemUTC()); // never closed: it crashes
        UsageControl survivor = engine(settings);
        UUID key = UUID.randomUUID();
        survivor.credits().apply(key, 0, Adjustment.set(1_000));
        assertThat(crashing.check(credit(key)).admitted()).isTrue();
        long leased = new JdbcTemplate(db.pool(1)).queryForObject(
                "SELECT held FROM usage_control.credit_lease", Long.class);
        assertThat(leased).as("one credit for the verification, and a first lease beyond it")
                .isEqualTo(1 + CreditBalances.FIRST_EXTRA);
        // the crash: its lease is neither spent nor given back

        long admitted = hammer(50, 2_000, () -> survivor.check(credit(key)).admitted());
        assertThat(1 + admitted).as("never overspent").isLessThanOrEqualTo(1_000);
        long underUse = 1_000 - 1 - admitted;
        assertThat(underUse).as("under-use: what the crashed lease held").isEqualTo(leased - 1)
                .isLessThanOrEqualTo(settings.maxLease());

        survivor.start(); // its syncs drop the lease nobody renews
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(survivor.credits().remaining(key)).as("reads stop counting the dead lease").hasValue(0L));
        survivor.credits().apply(key, 1, Adjustment.set(50));
        assertThat(hammer(20, 200, () -> survivor.check(credit(key)).admitted()))
                .as("a set after the drop is exact").isEqualTo(50);
    }

    @Test
    void aHotKeysLeaseGrowsWithItsSpendingAndStaysWithinTheBounds() {
        UsageControl engine = engine(UsageDatabase.settings(50, 2_000, 5_000, 2_000));
        UUID key = UUID.randomUUID();
        engine.credits().apply(key, 0, Adjustment.set(1_000_000));
        long mostHeld = 0;
        for (int i = 0; i < 5_000; i++) {
            assertThat(engine.check(credit(key)).admitted()).isTrue();
            mostHeld = Math.max(mostHeld, engine.credits().held());
        }
        assertThat(mostHeld).as("grew past the first lease, capped by max-lease (100 here)")
                .isGreaterThan(CreditBalances.FIRST_EXTRA).isLessThanOrEqualTo(100);
    }

    @Test
    void balanceChangesApplyOncePerSequenceNumberAndDecrementFloorsAtZero() {
        UsageControl engine = engine();
        CreditBalances credits = engine.credits();
        UUID key = UUID.randomUUID();
        assertThat(credits.remaining(key)).isEmpty();
        assertThat(credits.apply(key, 0, Adjustment.set(10))).isTrue();
        assertThat(credits.apply(key, 0, Adjustment.set(10))).as("a redelivered event").isFalse();
        assertThat(credits.apply(key, 1, Adjustment.increment(5))).isTrue();
        assertThat(credits.apply(key, 1, Adjustment.increment(5))).isFalse();
        assertThat(credits.remaining(key)).hasValue(15L);
        assertThat(credits.apply(key, 2, Adjustment.decrement(4))).isTrue();
        assertThat(credits.remaining(key)).hasValue(11L);
        assertThat(credits.apply(key, 1, Adjustment.decrement(4))).as("an older event").isFalse();
        assertThat(credits.apply(key, 3, Adjustment.decrement(100))).isTrue();
        assertThat(credits.remaining(key)).hasValue(0L);
        assertThat(engine.check(credit(key)).refusal()).isEqualTo(UsageRefusal.USAGE_EXCEEDED);
    }

    @Test
    void aSetBelowWhatALeaseHoldsVoidsTheLeaseAndIsNeverOverspent() {
        UsageControl holder = engine();
        UsageControl other = engine();
        UUID key = UUID.randomUUID();
        holder.credits().apply(key, 0, Adjustment.set(1_000));
        assertThat(holder.check(credit(key)).admitted()).isTrue(); // the holder now has a lease of 1 + 16
        other.credits().apply(key, 1, Adjustment.set(3));
        holder.sync(); // its next sync learns the lease is void
        long admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += holder.check(credit(key)).admitted() ? 1 : 0;
            admitted += other.check(credit(key)).admitted() ? 1 : 0;
        }
        assertThat(admitted).as("exactly the 3 of the set").isEqualTo(3);
    }

    @Test
    void beforeItsNextSyncAHolderOfAVoidedLeaseSpendsAtMostWhatItHeld() {
        UsageControl holder = engine();
        UsageControl other = engine();
        UUID key = UUID.randomUUID();
        holder.credits().apply(key, 0, Adjustment.set(1_000));
        assertThat(holder.check(credit(key)).admitted()).isTrue();
        long held = holder.credits().held();
        assertThat(held).isEqualTo(CreditBalances.FIRST_EXTRA);
        other.credits().apply(key, 1, Adjustment.set(0)); // the holder does not know yet
        long spentFromTheVoidLease = 0;
        for (int i = 0; i < 100; i++) {
            spentFromTheVoidLease += holder.check(credit(key)).admitted() ? 1 : 0;
        }
        assertThat(spentFromTheVoidLease).as("the documented window: at most the lease, until the next sync")
                .isLessThanOrEqualTo(held);
        holder.sync();
        assertThat(holder.check(credit(key)).admitted()).as("after its sync the void lease is gone").isFalse();
        assertThat(other.check(credit(key)).admitted()).isFalse();
    }

    @Test
    void aGracefulStopGivesTheLeasesBack() {
        UsageControl stopping = engine();
        UsageControl staying = engine();
        UUID key = UUID.randomUUID();
        stopping.credits().apply(key, 0, Adjustment.set(100));
        assertThat(stopping.check(credit(key)).admitted()).isTrue();
        assertThat(stopping.credits().held()).isPositive();
        stopping.close();
        long admitted = 0;
        for (int i = 0; i < 200; i++) {
            admitted += staying.check(credit(key)).admitted() ? 1 : 0;
        }
        assertThat(1 + admitted).as("nothing under-used").isEqualTo(100);
    }

    @Test
    void aSetAboveWhatTheLeasesHoldCountsThemAsPartOfTheNewBalance() {
        UsageControl holder = engine();
        UUID key = UUID.randomUUID();
        holder.credits().apply(key, 0, Adjustment.set(1_000));
        assertThat(holder.check(credit(key)).admitted()).isTrue();
        holder.sync(); // its spend reported: the set knows exactly what the lease still holds
        holder.credits().apply(key, 1, Adjustment.set(100));
        long admitted = 0;
        for (int i = 0; i < 150; i++) {
            admitted += holder.check(credit(key)).admitted() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(100);
    }

    @Test
    void liveRemainingIsVisibleToReadsWithinOneSecond() {
        UsageControl engine = engine();
        engine.start();
        UUID key = UUID.randomUUID();
        engine.credits().apply(key, 0, Adjustment.set(500));
        for (int i = 0; i < 7; i++) {
            assertThat(engine.check(credit(key)).admitted()).isTrue();
        }
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(engine.credits().remaining(key)).hasValue(493L));
    }

    @Test
    void theAnswerCarriesTheCreditsAfterThisVerificationAndCostZeroSpendsNothing() {
        UsageControl engine = engine();
        UUID key = UUID.randomUUID();
        engine.credits().apply(key, 0, Adjustment.set(10));
        UsageVerdict costly = engine.check(new UsageRequest(key, List.of(), true, null, 4L, null));
        assertThat(costly.creditsRemaining()).isEqualTo(6);
        UsageVerdict free = engine.check(new UsageRequest(key, List.of(), true, null, 0L, null));
        assertThat(free.admitted()).isTrue();
        assertThat(free.creditsRemaining()).isEqualTo(6);
        UsageVerdict tooMuch = engine.check(new UsageRequest(key, List.of(), true, null, 7L, null));
        assertThat(tooMuch.refusal()).isEqualTo(UsageRefusal.USAGE_EXCEEDED);
        assertThat(tooMuch.creditsRemaining()).isEqualTo(6);
        assertThat(engine.check(new UsageRequest(key, List.of(), true, null, 6L, null)).creditsRemaining()).isZero();
    }

    @Test
    void rateLimitedWinsOverUsageExceededAndAUsageRefusalTakesNothingFromTheLimits() {
        UsageControl engine = engine();
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(new RateLimit("per_hour", 2, 3_600_000));
        engine.credits().apply(key, 0, Adjustment.set(1));
        assertThat(engine.check(UsageRequest.byDefault(key, limits, true, null)).admitted()).isTrue();

        UsageVerdict noCredits = engine.check(UsageRequest.byDefault(key, limits, true, null));
        assertThat(noCredits.refusal()).isEqualTo(UsageRefusal.USAGE_EXCEEDED);
        assertThat(noCredits.limits().get(0).remaining()).as("the refusal took nothing from the limit").isEqualTo(1);
        assertThat(noCredits.limits().get(0).exceeded()).isFalse();

        engine.credits().apply(key, 1, Adjustment.increment(5));
        assertThat(engine.check(UsageRequest.byDefault(key, limits, true, null)).admitted()).isTrue();
        engine.credits().apply(key, 2, Adjustment.set(0));
        UsageVerdict both = engine.check(UsageRequest.byDefault(key, limits, true, null));
        assertThat(both.refusal()).as("both refuse: rate limits are checked first").isEqualTo(UsageRefusal.RATE_LIMITED);
        assertThat(both.creditsRemaining()).isZero();

        UsageVerdict limitedOnly = engine.check(new UsageRequest(key, limits, true, null, 0L, null));
        assertThat(limitedOnly.refusal()).isEqualTo(UsageRefusal.RATE_LIMITED);
    }

    @Test
    void anIdleLeaseIsGivenBackAndAStarvedInstanceGetsWhatAnotherHolds() {
        UsageControlSettings settings = UsageDatabase.settings(50, 2_000, 5_000, 60_000); // idle: a minute
        UsageControl holder = engine(settings);
        UsageControl starved = engine(settings);
        holder.start();
        starved.start();
        UUID key = UUID.randomUUID();
        holder.credits().apply(key, 0, Adjustment.set(40));
        assertThat(holder.check(credit(key)).admitted()).isTrue(); // 1 + a lease of 2
        for (int i = 0; i < 37; i++) {
            assertThat(starved.check(credit(key)).admitted()).isTrue();
        }
        assertThat(starved.check(credit(key)).admitted()).as("the rest is leased to the other").isFalse();
        await().atMost(Duration.ofSeconds(1)).until(() -> starved.check(credit(key)).admitted());
        assertThat(starved.check(credit(key)).admitted()).isTrue();
        assertThat(starved.check(credit(key)).admitted()).isFalse();
        assertThat(holder.check(credit(key)).admitted()).as("all 40 spent, once").isFalse();
    }
}
