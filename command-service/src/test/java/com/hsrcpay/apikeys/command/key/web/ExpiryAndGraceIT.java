package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.task.Task;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerHumanReadableDeadlineDetails;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Expiry and the end of a rotation grace against the real database: the command that asks for one writes a row in
 * {@code command_side.scheduled_tasks} (in its own transaction), the scheduler fires it, and the event lands in the
 * event store. Short expiries and graces instead of a controlled clock: this is the real scheduler.
 */
class ExpiryAndGraceIT extends WriteApiTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    org.axonframework.config.Configuration axon;

    @Autowired
    DeadlineManager deadlineManager;

    @Autowired
    List<Task<?>> schedulerTasks;

    @Test
    void theAggregatesDeadlinesGoToTheDatabaseScheduler() {
        // never Axon's in-memory default: the one deadline manager is db-scheduler's, with one task for deadlines
        assertThat(axon.deadlineManager()).isSameAs(deadlineManager).isInstanceOf(DbSchedulerDeadlineManager.class);
        assertThat(schedulerTasks).filteredOn(task -> task.getName().equals("AxonDeadline")).singleElement()
                .extracting(Task::getDataClass).isEqualTo(DbSchedulerHumanReadableDeadlineDetails.class);
    }

    @Test
    void aKeyIsExpiredBySystemAtItsExpiry() {
        String account = newAccount();
        Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        HttpApi.Reply created = create(account, Map.of("name", "Short-lived", "permissions", READ_CREATE,
                "expires_at", expiresAt.toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        String secretSha256 = SecretFormat.sha256(created.json().at("/data/key").asText());
        assertThat(deadlines(id)).containsExactly(expiry(expiresAt));

        JsonNode expired = awaitEvent(id, "KeyExpired", Duration.ofSeconds(15));

        assertThat(Instant.parse(expired.get("occurredAt").asText())).isAfterOrEqualTo(expiresAt);
        assertThat(expired.at("/actor/type").asText()).isEqualTo("SYSTEM");
        assertThat(expired.at("/actor/id").asText()).isEqualTo("expiry");
        assertThat(expired.get("requestId").asText()).startsWith("deadline:");
        assertThat(strings(expired.get("revokedSecretSha256s"))).containsExactly(secretSha256);
        assertThat(eventCount(id)).isEqualTo(2);
        assertDeadlineRowGone(id);
        // the key is now EXPIRED: its status can no longer change
        HttpApi.Reply reactivate = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .json(Map.of("status", "INACTIVE")).send();
        assertErrorEnvelope(reactivate, 409);
    }

    @Test
    void thePreviousSecretIsRetiredWhenTheRotationGraceEnds() {
        String account = newAccount();
        JsonNode key = createKey(account, true);
        String id = key.get("id").asText();
        String firstSha256 = SecretFormat.sha256(key.get("key").asText());

        HttpApi.Reply rotated = api().post("/v1/api-keys/" + id + "/regenerate").bearer(tokenFor(account))
                .json(Map.of("grace_period_seconds", 2)).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(deadlines(id)).singleElement().asString().startsWith("rotation-grace ");

        JsonNode retired = awaitEvent(id, "SecretRetired", Duration.ofSeconds(15));

        assertThat(retired.get("retiredSecretSha256").asText()).isEqualTo(firstSha256);
        assertThat(strings(retired.get("retiredSecretSha256s"))).containsExactly(firstSha256);
        assertThat(retired.at("/actor/type").asText()).isEqualTo("SYSTEM");
        assertThat(retired.get("requestId").asText()).startsWith("deadline:");
        assertThat(eventCount(id)).isEqualTo(3);
        assertDeadlineRowGone(id);
    }

    @Test
    void aPatchMovesTheDeadlineAndClearingTheExpiryRemovesIt() {
        String account = newAccount();
        Instant first = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant second = first.plus(1, ChronoUnit.HOURS);
        HttpApi.Reply created = create(account, Map.of("name", "Moving", "permissions", READ_CREATE,
                "expires_at", first.toString()));
        String id = created.json().at("/data/id").asText();
        assertThat(deadlines(id)).containsExactly(expiry(first));

        HttpApi.Reply moved = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .json(Map.of("expires_at", second.toString())).send();
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(deadlines(id)).containsExactly(expiry(second));

        Map<String, Object> clear = new HashMap<>();
        clear.put("expires_at", null);
        HttpApi.Reply cleared = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account)).json(clear).send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(deadlines(id)).isEmpty();
    }

    @Test
    void deletingAKeyRemovesItsDeadlines() {
        String account = newAccount();
        HttpApi.Reply created = create(account, Map.of("name", "Doomed", "permissions", READ_CREATE, "managed", true,
                "expires_at", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        String id = created.json().at("/data/id").asText();
        api().post("/v1/api-keys/" + id + "/regenerate").bearer(tokenFor(account))
                .json(Map.of("grace_period_seconds", 3600)).send();
        assertThat(deadlines(id)).hasSize(2).anyMatch(d -> d.startsWith("key-expiry "))
                .anyMatch(d -> d.startsWith("rotation-grace "));

        HttpApi.Reply deleted = api().delete("/v1/api-keys/" + id).bearer(tokenFor(account)).send();

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deadlines(id)).isEmpty();
    }

    @Test
    void aRefusedCommandLeavesNoDeadlineBehind() {
        // the second create with the same Idempotency-Key but another body is refused: nothing of it is written
        String account = newAccount();
        Instant expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        HttpApi.Reply created = api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account))
                .header("Idempotency-Key", "once").json(Map.of("name", "Once", "permissions", READ_CREATE,
                        "expires_at", expiresAt.toString())).send();
        String id = created.json().at("/data/id").asText();
        HttpApi.Reply replayed = api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account))
                .header("Idempotency-Key", "once").json(Map.of("name", "Once", "permissions", READ_CREATE,
                        "expires_at", expiresAt.toString())).send();

        assertThat(replayed.json().at("/data/id").asText()).isEqualTo(id);
        assertThat(deadlines(id)).containsExactly(expiry(expiresAt));
    }

    /**
     * The pending deadlines of a key, as "name instant", soonest first. A row's task_data is Axon's deadline details
     * as JSON: the deadline name, and the aggregate scope that names the key.
     */
    List<String> deadlines(String keyId) {
        return jdbc.query("""
                SELECT convert_from(task_data, 'UTF8')::jsonb ->> 'deadlineName' AS name, execution_time
                FROM command_side.scheduled_tasks
                WHERE convert_from(task_data, 'UTF8')::jsonb ->> 'scopeDescriptor' LIKE '%' || ? || '%'
                ORDER BY execution_time""",
                (row, i) -> row.getString("name") + " " + row.getTimestamp("execution_time").toInstant(), keyId);
    }

    static String expiry(Instant at) {
        return "key-expiry " + at;
    }

    /** db-scheduler deletes a fired task's row in its own transaction, just after the handler's event committed. */
    void assertDeadlineRowGone(String keyId) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(deadlines(keyId)).as("the fired deadline's row is gone").isEmpty());
    }

    JsonNode awaitEvent(String keyId, String type, Duration atMost) {
        String sql = """
                SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE ?""";
        String payload = await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.queryForList(sql, String.class, keyId, "%." + type).stream().findFirst().orElse(null),
                        found -> found != null);
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
