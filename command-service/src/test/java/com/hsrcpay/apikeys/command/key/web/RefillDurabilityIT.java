package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.MovableClock;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refill deadlines across restarts, with the service's clock (events and the deadline scheduler) moved instead of
 * waiting for midnight: a daily refill scheduled by one command service comes due while none runs, and the next one
 * to start applies it, records it on the key ({@code credits.last_refill_at}) and schedules the following midnight;
 * three midnights missed while down are one refill. The database is this test's own, so nothing else fires them.
 */
class RefillDurabilityIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final Instant CREATED = Instant.parse("2031-03-10T23:59:50Z");
    static final Instant FIRST_MIDNIGHT = Instant.parse("2031-03-11T00:00:00Z");

    final TestDatabase database = TestPostgres.newDatabase();
    final JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
    final MovableClock clock = new MovableClock(CREATED);

    @Test
    void aRefillDueWhileNoServiceRanIsAppliedAfterTheRestartAndMissedOnesAreOne() throws Exception {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        String id;
        try (ConfigurableApplicationContext first = start()) {
            HttpApi.Reply created = StandaloneCommandService.api(first).post("/v1/api-keys/?account_id=" + account)
                    .bearer(token).json(Map.of("name", "Metered", "permissions", READ, "credits", Map.of(
                            "remaining", 5, "refill", Map.of("interval", "daily", "amount", 100)))).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            id = created.json().at("/data/id").asText();
            assertThat(created.json().at("/data/credits/last_refill_at").isNull()).as("never refilled yet").isTrue();
            assertThat(dueRefills()).containsExactly(FIRST_MIDNIGHT);
        }

        clock.set(FIRST_MIDNIGHT.plusSeconds(5)); // midnight passes while no command service runs
        assertThat(refills(id)).isEmpty();

        try (ConfigurableApplicationContext second = start()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(refills(id)).hasSize(1));
            JsonNode refill = refills(id).get(0);
            assertThat(refill.get("amount").asLong()).isEqualTo(100);
            assertThat(Instant.parse(refill.get("refilledFor").asText())).isEqualTo(FIRST_MIDNIGHT);
            assertThat(Instant.parse(refill.get("occurredAt").asText())).as("applied when the service came back")
                    .isEqualTo(FIRST_MIDNIGHT.plusSeconds(5));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(dueRefills()).containsExactly(Instant.parse("2031-03-12T00:00:00Z")));
            // the write side's answer shows the refilled quota and when it was applied
            HttpApi.Reply patched = StandaloneCommandService.api(second).patch("/v1/api-keys/" + id).bearer(token)
                    .json(Map.of("name", "Metered, refilled")).send();
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            assertThat(patched.json().at("/data/credits/remaining").asLong()).isEqualTo(100);
            assertThat(patched.json().at("/data/credits/last_refill_at").asText()).isEqualTo("2031-03-11T00:00:05Z");
        }

        clock.set(Instant.parse("2031-03-14T12:00:00Z")); // three midnights pass while down
        try (ConfigurableApplicationContext third = start()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(refills(id)).hasSize(2));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(dueRefills()).containsExactly(Instant.parse("2031-03-15T00:00:00Z")));
            Thread.sleep(1000); // five more polling rounds: no second refill for the missed midnights
            assertThat(refills(id)).hasSize(2);
            assertThat(Instant.parse(refills(id).get(1).get("refilledFor").asText()))
                    .as("the pending deadline, applied once for the three midnights").isEqualTo(Instant.parse("2031-03-12T00:00:00Z"));
        }
    }

    private ConfigurableApplicationContext start() {
        return StandaloneCommandService.start(database, clock, "--kms.scheduler.polling-interval-ms=200");
    }

    /** When the pending refill deadlines are due (db-scheduler's rows of the credits-refill deadline). */
    private List<Instant> dueRefills() {
        return jdbc.queryForList("SELECT execution_time FROM command_side.scheduled_tasks WHERE "
                + "convert_from(task_data, 'UTF8') LIKE '%credits-refill%'", Timestamp.class).stream()
                .map(Timestamp::toInstant).toList();
    }

    private List<JsonNode> refills(String keyId) throws Exception {
        List<String> payloads = jdbc.queryForList("""
                SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%.CreditsRefilled' ORDER BY sequence_number""",
                String.class, keyId);
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String payload : payloads) {
            nodes.add(JSON.readTree(payload));
        }
        return nodes;
    }
}
