package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery log's retention on real PostgreSQL with a fixed clock: ended deliveries older than the retention go
 * with their attempts, in batches; pending ones, young ones, and ones a manual retry is working on stay.
 */
class DeliveryRetentionIT {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    @Test
    void purgesEndedDeliveriesPastTheRetentionInBatchesAndKeepsEverythingElse() {
        JdbcTemplate jdbc = readModel();
        UUID endpoint = UUID.randomUUID();
        jdbc.update("INSERT INTO read_model.webhook_endpoint (id, account_id, mode, url, events, status, created_at,"
                + " updated_at) VALUES (?, 'acct_retention', 'live', 'https://example.com/h', ARRAY['*'], 'enabled',"
                + " ?, ?)", endpoint, ts(NOW.minus(Duration.ofDays(90))), ts(NOW.minus(Duration.ofDays(90))));
        List<UUID> old = List.of(
                delivery(jdbc, endpoint, "succeeded", Duration.ofDays(31), false, null),
                delivery(jdbc, endpoint, "failed", Duration.ofDays(45), false, null),
                delivery(jdbc, endpoint, "succeeded", Duration.ofDays(60), false, null),
                delivery(jdbc, endpoint, "failed", Duration.ofDays(30).plusSeconds(1), false, null),
                delivery(jdbc, endpoint, "succeeded", Duration.ofDays(88), false, null));
        UUID young = delivery(jdbc, endpoint, "succeeded", Duration.ofDays(29), false, null);
        UUID pending = delivery(jdbc, endpoint, "pending", Duration.ofDays(80), false, null);
        UUID retrying = delivery(jdbc, endpoint, "failed", Duration.ofDays(40), true, null);
        UUID claimed = delivery(jdbc, endpoint, "failed", Duration.ofDays(40), false, NOW.plusSeconds(30));

        DeliveryRetention retention = new DeliveryRetention(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), RETENTION, 2,
                Duration.ofHours(1));
        assertThat(retention.purge()).as("five rows, three statements of at most two").isEqualTo(5);

        assertThat(jdbc.queryForList("SELECT id FROM read_model.webhook_delivery", UUID.class))
                .containsExactlyInAnyOrder(young, pending, retrying, claimed);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM read_model.webhook_attempt WHERE delivery_id = ANY (?)",
                Long.class, (Object) old.toArray(UUID[]::new))).as("their attempts went with them").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM read_model.webhook_attempt", Long.class)).isEqualTo(4);
        assertThat(retention.purge()).as("nothing more to do").isZero();
    }

    /** A delivery in {@code status} that ended {@code endedAgo} before now (created then too), with one attempt. */
    private static UUID delivery(JdbcTemplate jdbc, UUID endpoint, String status, Duration endedAgo,
                                 boolean retryRequested, Instant claimedUntil) {
        UUID id = UUID.randomUUID();
        Instant at = NOW.minus(endedAgo);
        jdbc.update("""
                INSERT INTO read_model.webhook_delivery (id, endpoint_id, source, key_id, type, body, status, created_at,
                    next_attempt_at, retry_requested, claimed_until, finished_at)
                VALUES (?, ?, ?, ?, 'api_key.created', '{}'::bytea, ?, ?, ?, ?, ?, ?)""",
                id, endpoint, "event:" + id, UUID.randomUUID(), status, ts(at),
                status.equals("pending") ? ts(NOW.plus(Duration.ofDays(1))) : null, retryRequested,
                claimedUntil == null ? null : ts(claimedUntil), status.equals("pending") ? null : ts(at));
        jdbc.update("INSERT INTO read_model.webhook_attempt (delivery_id, number, at, status_code, latency_ms)"
                + " VALUES (?, 1, ?, 500, 3)", id, ts(at));
        return id;
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static JdbcTemplate readModel() {
        DataSource dataSource = TestPostgres.newDatabase().dataSource();
        Flyway.configure().dataSource(dataSource).schemas("read_model").defaultSchema("read_model")
                .locations("classpath:db/read-model").load().migrate();
        return new JdbcTemplate(dataSource);
    }
}
