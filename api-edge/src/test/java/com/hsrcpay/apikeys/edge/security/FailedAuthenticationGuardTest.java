package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.security.FailedAuthenticationGuard.Settings;
import com.hsrcpay.apikeys.edge.security.FailedAuthenticationGuard.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FailedAuthenticationGuardTest {

    private static final String SOURCE = "203.0.113.7";
    private static final String OTHER = "198.51.100.9";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private FailedAuthenticationGuard guard = new FailedAuthenticationGuard(Settings.defaults(), clock);

    @Test
    void theDefaultsBlockAfterMoreThanTwentyFailuresInAMinute() {
        assertThat(failures(SOURCE, 20)).as("20 failures are answered 401").noneMatch(Verdict::blocked);
        assertThat(guard.isBlocked(SOURCE)).isFalse();

        Verdict twentyFirst = guard.recordFailure(SOURCE);

        assertThat(twentyFirst).as("the failure that crosses the threshold is itself 429")
                .isEqualTo(new Verdict(true, 60));
        assertThat(guard.isBlocked(SOURCE)).isTrue();
    }

    @Test
    void aSteadyTrickleUnderTheLimitIsNeverBlocked() {
        // 15 failures a minute, for ten minutes, as the window slides over them
        for (int i = 0; i < 150; i++) {
            assertThat(guard.recordFailure(SOURCE).blocked()).as("failure %d", i).isFalse();
            clock.advance(Duration.ofSeconds(4));
        }
    }

    @Test
    void theWindowSlidesSoABurstAcrossItsBoundaryIsCaught() {
        guard.recordFailure(SOURCE); // opens the window at t=0
        clock.advance(Duration.ofSeconds(58));
        assertThat(failures(SOURCE, 19)).noneMatch(Verdict::blocked); // 20 in the first window, at the limit
        clock.advance(Duration.ofSeconds(3));

        // t=61 s: a fixed window would count from 0 again and let 20 more through; the 20 of the previous window
        // still weigh 20 * 59/60 in the last minute, so the first failure of the new window is one too many
        assertThat(guard.recordFailure(SOURCE).blocked()).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowStopCounting() {
        failures(SOURCE, 20);
        clock.advance(Duration.ofSeconds(120)); // the window and the one after it are over

        assertThat(failures(SOURCE, 20)).noneMatch(Verdict::blocked);
        assertThat(guard.recordFailure(SOURCE).blocked()).isTrue();
    }

    @Test
    void retryAfterIsTheWholeSecondsLeftOfTheBlock() {
        failures(SOURCE, 21);

        clock.advance(Duration.ofMillis(500));
        assertThat(guard.recordFailure(SOURCE)).isEqualTo(new Verdict(true, 60)); // 59.5 s left, rounded up
        clock.advance(Duration.ofMillis(500));
        assertThat(guard.recordFailure(SOURCE)).isEqualTo(new Verdict(true, 59));
        clock.advance(Duration.ofMillis(58_999));
        assertThat(guard.recordFailure(SOURCE)).as("1 ms left").isEqualTo(new Verdict(true, 1));
    }

    @Test
    void theBlockEndsAfterItsDurationAndFailuresDuringItNeitherCountNorExtendIt() {
        failures(SOURCE, 21);
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(500));
            if (clock.millis() < Instant.parse("2030-01-01T00:01:00Z").toEpochMilli()) {
                assertThat(guard.recordFailure(SOURCE).blocked()).isTrue();
            }
        }
        // 40 s after the block ended: a failure is 401 again, and counting started afresh
        assertThat(guard.isBlocked(SOURCE)).isFalse();
        assertThat(failures(SOURCE, 20)).noneMatch(Verdict::blocked);
        assertThat(guard.recordFailure(SOURCE).blocked()).isTrue();
    }

    @Test
    void theBlockEndsExactlyAtItsEnd() {
        failures(SOURCE, 21);
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(guard.isBlocked(SOURCE)).isTrue();

        clock.advance(Duration.ofMillis(1));

        assertThat(guard.isBlocked(SOURCE)).isFalse();
        assertThat(guard.recordFailure(SOURCE)).isEqualTo(Verdict.NOT_BLOCKED);
    }

    @Test
    void sourcesAreCountedIndependently() {
        failures(SOURCE, 21);

        assertThat(guard.isBlocked(SOURCE)).isTrue();
        assertThat(guard.isBlocked(OTHER)).isFalse();
        assertThat(failures(OTHER, 20)).as("another address is not affected").noneMatch(Verdict::blocked);
        assertThat(guard.recordFailure(OTHER).blocked()).isTrue();
    }

    @Test
    void ipv6SourcesAreCountedPerSlash64() {
        failures("2001:db8:1:2::1", 10);
        failures("2001:db8:1:2:ffff:ffff:ffff:ffff", 10);

        assertThat(guard.recordFailure("2001:db8:1:2:abcd::9").blocked())
                .as("rotating addresses inside one /64 does not escape the guard").isTrue();
        assertThat(guard.isBlocked("2001:db8:1:3::1")).as("the next /64 is someone else").isFalse();
        assertThat(FailedAuthenticationGuard.sourceOf("2001:0db8:0001:0002:0000:0000:0000:0001"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(FailedAuthenticationGuard.sourceOf("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(FailedAuthenticationGuard.sourceOf("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void atMostMaxSourcesAreTrackedAndExpiredOnesMakeRoom() {
        guard = new FailedAuthenticationGuard(new Settings(true, 2, 60, 60, 3), clock);
        failures("10.0.0.1", 3); // blocked
        failures("10.0.0.2", 1);
        failures("10.0.0.3", 1);

        assertThat(failures("10.0.0.4", 5)).as("a new source finds the map full: not tracked, refused (fails closed)")
                .allMatch(Verdict::blocked);
        assertThat(guard.trackedSources()).isEqualTo(3);
        assertThat(guard.isBlocked("10.0.0.1")).as("no blocked source was evicted for it").isTrue();

        clock.advance(Duration.ofSeconds(61)); // the block is over; the others' failures still weigh
        failures("10.0.0.5", 1);
        assertThat(guard.trackedSources()).as("the entry whose block ended was pruned").isEqualTo(3);
        assertThat(guard.recordFailure("10.0.0.5")).isEqualTo(Verdict.NOT_BLOCKED);
        assertThat(guard.recordFailure("10.0.0.5").blocked()).isTrue();

        clock.advance(Duration.ofSeconds(121));
        failures("10.0.0.6", 1);
        assertThat(guard.trackedSources()).as("everything expired was pruned").isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfAddresses() {
        guard = new FailedAuthenticationGuard(new Settings(true, 20, 60, 60, 1_000), clock);
        for (int i = 0; i < 50_000; i++) {
            guard.recordFailure("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff));
            if (i % 100 == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        assertThat(guard.trackedSources()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void concurrentFailuresAreCountedExactly() throws Exception {
        guard = new FailedAuthenticationGuard(new Settings(true, 50, 60, 60, 100), clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                attempts.add(() -> guard.recordFailure(SOURCE).blocked());
            }
            long answered401 = 0;
            for (Future<Boolean> blocked : pool.invokeAll(attempts)) {
                answered401 += blocked.get() ? 0 : 1;
            }
            assertThat(answered401).as("exactly max-failures are answered 401").isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDisabledGuardNeverBlocks() {
        guard = new FailedAuthenticationGuard(new Settings(false, 1, 60, 60, 10), clock);

        assertThat(failures(SOURCE, 100)).noneMatch(Verdict::blocked);
        assertThat(guard.isBlocked(SOURCE)).isFalse();
        assertThat(guard.trackedSources()).isZero();
    }

    @Test
    void anUnknownAddressIsNotCounted() {
        assertThat(failures(null, 50)).noneMatch(Verdict::blocked);
        assertThat(guard.trackedSources()).isZero();
    }

    @Test
    void settingsMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(true, 0, 60, 60, 10))
                .withMessageContaining("max-failures");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(true, 20, 0, 60, 10))
                .withMessageContaining("window-seconds");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(true, 20, 60, 0, 10))
                .withMessageContaining("block-seconds");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(true, 20, 60, 60, 0))
                .withMessageContaining("max-sources");
    }

    private List<Verdict> failures(String source, int count) {
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(guard.recordFailure(source));
        }
        return verdicts;
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
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
