package com.hsrcpay.apikeys.verification.usage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hourly usage on real PostgreSQL: counted in memory, written by flushes (adding up across flushes and instances),
 * answered per hour with refusals by code, bounded in memory with drops counted, at most 7 days a query.
 */
class UsageHoursIT {

    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");

    private final UsageDatabase db = new UsageDatabase();
    private final UsageControlRateLimitTest.MutableClock clock = new UsageControlRateLimitTest.MutableClock(NOON);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        db.close();
    }

    private UsageHours hours(int maxPending) {
        return new UsageHours(new JdbcTemplate(db.pool(2)), clock, maxPending, meters);
    }

    @Test
    void verificationsAreAnsweredPerHourWithRefusalsByCodeAndAddUpAcrossFlushesAndInstances() {
        UsageHours one = hours(1_000);
        UsageHours other = hours(1_000);
        UUID key = UUID.randomUUID();
        clock.set(NOON.plusSeconds(60));
        one.record(key, UsageHours.VALID);
        one.record(key, UsageHours.VALID);
        one.record(key, "RATE_LIMITED");
        other.record(key, UsageHours.VALID);
        one.record(UUID.randomUUID(), UsageHours.VALID); // another key
        assertThat(one.between(key, NOON, NOON.plus(Duration.ofHours(2)))).as("nothing written before a flush").isEmpty();
        one.flush();
        other.flush();
        clock.set(NOON.plus(Duration.ofMinutes(61)));
        one.record(key, "USAGE_EXCEEDED");
        one.record(key, "REVOKED");
        one.record(key, UsageHours.VALID);
        one.flush();

        List<UsageBucket> buckets = one.between(key, NOON, NOON.plus(Duration.ofHours(2)));
        assertThat(buckets).containsExactly(
                new UsageBucket(NOON, 3, Map.of("RATE_LIMITED", 1L)),
                new UsageBucket(NOON.plus(Duration.ofHours(1)), 1, Map.of("USAGE_EXCEEDED", 1L, "REVOKED", 1L)));
        assertThat(one.between(key, NOON.plus(Duration.ofHours(1)), NOON.plus(Duration.ofHours(2))))
                .extracting(UsageBucket::hour).containsExactly(NOON.plus(Duration.ofHours(1)));
    }

    @Test
    void theBufferIsBoundedAndWhatDoesNotFitIsCountedAsDropped() {
        UsageHours hours = hours(2);
        UUID first = UUID.randomUUID();
        hours.record(first, UsageHours.VALID);
        hours.record(first, "RATE_LIMITED");
        hours.record(UUID.randomUUID(), UsageHours.VALID); // a third (key, hour, outcome): dropped
        hours.record(first, UsageHours.VALID); // one already waiting: counted
        assertThat(meters.get(UsageHours.DROPPED).counter().count()).isEqualTo(1);
        hours.flush();
        assertThat(hours.between(first, NOON, NOON.plusSeconds(3_600)))
                .containsExactly(new UsageBucket(NOON, 2, Map.of("RATE_LIMITED", 1L)));
    }

    @Test
    void aQuerySpansAtMostSevenDaysAndHoursPastTheRetentionAreForgotten() {
        UsageHours hours = hours(100);
        UUID key = UUID.randomUUID();
        hours.record(key, UsageHours.VALID);
        hours.flush();
        assertThatThrownBy(() -> hours.between(key, NOON, NOON.plus(Duration.ofDays(7)).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hours.between(key, NOON, NOON.plus(Duration.ofDays(7)))).hasSize(1);
        clock.set(NOON.plus(Duration.ofDays(9)));
        hours.flush();
        assertThat(hours.between(key, NOON, NOON.plus(Duration.ofDays(7)))).isEmpty();
    }
}
