package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The verdict's rate-limit rules on one instance, no database (keys without credits never touch it): fixed windows
 * aligned to the epoch, exactly {@code limit} a window, refusals that consume nothing, cost 0, the defaults.
 */
class UsageControlRateLimitTest {

    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final UsageControl engine = engine(clock);

    private static UsageControl engine(Clock clock) {
        UsageControlSettings settings = UsageControlSettings.defaults();
        // a key without credits never reaches the database: a data source that points nowhere proves it
        javax.sql.DataSource nowhere = new org.postgresql.ds.PGSimpleDataSource();
        return new UsageControl(new RateWindows(nowhere, UUID.randomUUID(), 1_000), new CreditBalances(nowhere, UUID.randomUUID(),
                settings, System::nanoTime), clock, settings);
    }

    private static RateLimit limit(String name, long limit, long durationMs) {
        return new RateLimit(name, limit, durationMs);
    }

    private UsageVerdict check(UUID key, List<RateLimit> limits, List<LimitCost> costs) {
        return engine.check(new UsageRequest(key, limits, false, null, null, costs));
    }

    @Test
    void aLimitAdmitsExactlyItsLimitPerFixedWindowAndResetsAtTheWindowsEnd() {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("per_minute", 3, 60_000));
        clock.set(START.plusSeconds(20)); // 20 s into a window that began at 12:00:00
        for (int i = 2; i >= 0; i--) {
            UsageVerdict verdict = check(key, limits, null);
            assertThat(verdict.admitted()).isTrue();
            assertThat(verdict.limits()).singleElement().satisfies(state -> {
                assertThat(state.resetAt()).isEqualTo(START.plusSeconds(60));
                assertThat(state.exceeded()).isFalse();
            });
            assertThat(verdict.limits().get(0).remaining()).isEqualTo(i);
        }
        UsageVerdict refused = check(key, limits, null);
        assertThat(refused.refusal()).isEqualTo(UsageRefusal.RATE_LIMITED);
        assertThat(refused.limits().get(0).exceeded()).isTrue();
        assertThat(refused.limits().get(0).remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).hasValue(40);
        assertThat(refused.creditsRemaining()).as("a key without credits reports none").isNull();

        clock.set(START.plusSeconds(60)); // the next aligned window
        assertThat(check(key, limits, null).admitted()).isTrue();
    }

    @Test
    void aRefusalByOneLimitConsumesNoOtherLimit() {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("burst", 1, 1_000), limit("hourly", 100, 3_600_000));
        assertThat(check(key, limits, null).admitted()).isTrue();
        for (int i = 0; i < 5; i++) {
            UsageVerdict refused = check(key, limits, null);
            assertThat(refused.refusal()).isEqualTo(UsageRefusal.RATE_LIMITED);
            assertThat(refused.limits()).extracting(LimitState::name, LimitState::exceeded)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("burst", true),
                            org.assertj.core.groups.Tuple.tuple("hourly", false));
        }
        UsageVerdict hourlyOnly = check(key, limits, List.of(new LimitCost("hourly", 1)));
        assertThat(hourlyOnly.admitted()).isTrue();
        assertThat(hourlyOnly.limits()).singleElement().extracting(LimitState::remaining)
                .as("the five refusals took nothing from the hourly limit").isEqualTo(98L);
    }

    @Test
    void costZeroIsAlwaysAdmittedAndConsumesNothing() {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("tiny", 1, 1_000));
        assertThat(check(key, limits, null).admitted()).isTrue();
        UsageVerdict free = check(key, limits, List.of(new LimitCost("tiny", 0)));
        assertThat(free.admitted()).isTrue();
        assertThat(free.limits().get(0).remaining()).isZero();
        assertThat(check(key, limits, null).refusal()).isEqualTo(UsageRefusal.RATE_LIMITED);
    }

    @Test
    void byDefaultEveryLimitOfTheKeyCostsOneAndANamedListAppliesExactlyThoseLimits() {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("a", 10, 1_000), limit("b", 10, 1_000));
        UsageVerdict byDefault = engine.check(UsageRequest.byDefault(key, limits, false, null));
        assertThat(byDefault.limits()).extracting(LimitState::name, LimitState::remaining)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 9L), org.assertj.core.groups.Tuple.tuple("b", 9L));
        UsageVerdict named = check(key, limits, List.of(new LimitCost("b", 5)));
        assertThat(named.limits()).extracting(LimitState::name, LimitState::remaining)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 4L));
        UsageVerdict a = check(key, limits, List.of(new LimitCost("a", 0)));
        assertThat(a.limits().get(0).remaining()).as("a untouched by the named request").isEqualTo(9);
    }

    @Test
    void anUnknownOrRepeatedLimitNameIsFoundBeforeTheCheckAndRefusedByIt() {
        List<RateLimit> limits = List.of(limit("a", 10, 1_000));
        assertThat(UsageControl.unknownLimit(limits, null)).isEmpty();
        assertThat(UsageControl.unknownLimit(limits, List.of(new LimitCost("a", 1)))).isEmpty();
        assertThat(UsageControl.unknownLimit(limits, List.of(new LimitCost("zz", 1)))).hasValue("zz");
        assertThat(UsageControl.unknownLimit(limits, List.of(new LimitCost("a", 1), new LimitCost("a", 2))))
                .hasValue("a");
        assertThatThrownBy(() -> check(UUID.randomUUID(), limits, List.of(new LimitCost("zz", 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LimitCost("a", 1_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UsageRequest(UUID.randomUUID(), limits, true, null, -1L, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whateverTheCostsAWindowAdmitsAtMostItsLimitAndRefusesOnlyWhenTheCostDoesNotFit() {
        qt().withExamples(300).forAll(longs().between(1, 50), integers().between(1_000, 10_000),
                        lists().of(integers().between(0, 12)).ofSizeBetween(1, 60))
                .checkAssert((max, duration, costs) -> {
                    MutableClock fixed = new MutableClock(START.plusMillis(7));
                    UsageControl fresh = engine(fixed);
                    UUID key = UUID.randomUUID();
                    List<RateLimit> limits = List.of(limit("l", max, duration));
                    long admitted = 0;
                    for (int cost : costs) {
                        UsageVerdict verdict = fresh.check(new UsageRequest(key, limits, false, null, null,
                                List.of(new LimitCost("l", cost))));
                        long before = max - admitted;
                        if (verdict.admitted()) {
                            admitted += cost;
                            assertThat(cost).isLessThanOrEqualTo((int) before);
                        } else {
                            assertThat(cost).as("refused only when it does not fit").isGreaterThan((int) before);
                        }
                        assertThat(verdict.limits().get(0).remaining()).isEqualTo(max - admitted);
                        long windowStart = fixed.millis() - Math.floorMod(fixed.millis(), (long) duration);
                        assertThat(verdict.limits().get(0).resetAt().toEpochMilli()).isEqualTo(windowStart + duration);
                    }
                    assertThat(admitted).isLessThanOrEqualTo(max);
                });
    }

    @Test
    void fiftyThreadsOnOneInstanceAdmitExactlyTheLimit() throws Exception {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("per_hour", 137, 3_600_000));
        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                results.add(threads.submit(() -> {
                    go.await();
                    int admitted = 0;
                    for (int i = 0; i < 20; i++) {
                        if (check(key, limits, null).admitted()) {
                            admitted++;
                        }
                    }
                    return admitted;
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Integer> result : results) {
                admitted += result.get(30, TimeUnit.SECONDS);
            }
            assertThat(admitted).as("1000 attempts against 137").isEqualTo(137);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theRateLimitHeadersFollowTheStructuredFieldSyntaxOneItemPerLimit() {
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(limit("burst", 2, 10_000), limit("daily.calls", 1000, 86_400_000));
        clock.set(START.plusMillis(2_500)); // 12:00:02.5: 7.5 s left of the 10 s window, 11 h 59 min 57.5 s of the day
        check(key, limits, null);
        check(key, limits, null);
        UsageVerdict refused = check(key, limits, null);
        assertThat(refused.rateLimitPolicyHeader(limits)).isEqualTo("\"burst\";q=2;w=10, \"daily.calls\";q=1000;w=86400");
        assertThat(refused.rateLimitHeader()).isEqualTo("\"burst\";r=0;t=8, \"daily.calls\";r=998;t=43198");
        assertThat(refused.retryAfterSeconds()).as("until the exceeded limit's window ends").hasValue(8);
    }

    @Test
    void aUsageRefusalRetriesAfterTheNextRefillOrNever() {
        Instant now = START;
        UsageVerdict withRefill = new UsageVerdict(UsageRefusal.USAGE_EXCEEDED, 0L, List.of(), now,
                now.plus(Duration.ofMinutes(90)).plusMillis(1));
        assertThat(withRefill.retryAfterSeconds()).hasValue(5401);
        UsageVerdict noRefill = new UsageVerdict(UsageRefusal.USAGE_EXCEEDED, 0L, List.of(), now, null);
        assertThat(noRefill.retryAfterSeconds()).isEmpty();
        UsageVerdict admitted = new UsageVerdict(null, 3L, List.of(), now, now.plusSeconds(5));
        assertThat(admitted.retryAfterSeconds()).isEmpty();
        assertThat(UsageRefusal.USAGE_EXCEEDED.reason()).isEqualTo("usage_exceeded");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
