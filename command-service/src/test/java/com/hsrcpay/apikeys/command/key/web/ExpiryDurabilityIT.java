package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deadlines survive a restart: one command service schedules an expiry and the end of a rotation grace, and is
 * shut down before either is due; a freshly started one on the same database fires both. The database is this
 * test's own, so no other running service (such as the cached context of the other tests) can fire them instead.
 */
class ExpiryDurabilityIT {

    static final Map<String, List<String>> READ_CREATE = Map.of("account:api:key", List.of("read", "create"));
    static final Duration DUE_IN = Duration.ofSeconds(8);

    final TestDatabase database = TestPostgres.newDatabase();
    final JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());

    @Test
    void anExpiryAndAGraceScheduledBeforeARestartFireAfterIt() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        String expiringId;
        String rotatedId;
        String rotatedOutSha256;
        Instant earliestDue;

        try (ConfigurableApplicationContext first = start()) {
            HttpApi api = StandaloneCommandService.api(first);
            Instant expiresAt = Instant.now().plus(DUE_IN).truncatedTo(ChronoUnit.MILLIS);
            earliestDue = expiresAt; // the grace ends later still
            HttpApi.Reply expiring = api.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Expiring", "permissions", READ_CREATE, "expires_at", expiresAt.toString()))
                    .send();
            assertThat(expiring.status()).as(expiring.toString()).isEqualTo(201);
            expiringId = expiring.json().at("/data/id").asText();

            HttpApi.Reply managed = api.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Rotating", "permissions", READ_CREATE, "managed", true)).send();
            rotatedId = managed.json().at("/data/id").asText();
            rotatedOutSha256 = SecretFormat.sha256(managed.json().at("/data/key").asText());
            HttpApi.Reply rotated = api.post("/v1/api-keys/" + rotatedId + "/regenerate").bearer(token)
                    .json(Map.of("grace_period_seconds", DUE_IN.toSeconds())).send();
            assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        }

        // the first service is gone, neither deadline was due while it ran: both wait in the table
        assertThat(Instant.now()).as("shut down before the deadlines were due").isBefore(earliestDue);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM command_side.scheduled_tasks", Long.class)).isEqualTo(2);
        assertThat(events(expiringId, "KeyExpired")).isEmpty();
        assertThat(events(rotatedId, "SecretRetired")).isEmpty();

        try (ConfigurableApplicationContext second = start()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(events(expiringId, "KeyExpired")).hasSize(1);
                assertThat(events(rotatedId, "SecretRetired")).hasSize(1);
            });
            assertThat(events(rotatedId, "SecretRetired").get(0)).contains(rotatedOutSha256);
            // each task's row goes in db-scheduler's own transaction, just after its event committed
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
                    jdbc.queryForObject("SELECT count(*) FROM command_side.scheduled_tasks", Long.class)).isZero());
            // and the restarted service sees the key as expired
            HttpApi.Reply patch = StandaloneCommandService.api(second).patch("/v1/api-keys/" + expiringId).bearer(token)
                    .json(Map.of("status", "INACTIVE")).send();
            assertThat(patch.status()).as(patch.toString()).isEqualTo(409);
            assertThat(patch.json().at("/error/details/reason").asText()).isEqualTo("key_expired");
        }
    }

    private ConfigurableApplicationContext start() {
        return StandaloneCommandService.start(database, "--kms.scheduler.polling-interval-ms=200");
    }

    private List<String> events(String keyId, String type) {
        return jdbc.queryForList("""
                SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE ?""", String.class, keyId, "%." + type);
    }
}
