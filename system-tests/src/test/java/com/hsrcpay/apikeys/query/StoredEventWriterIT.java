package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code StoredEventWriter} (bulk data of tests and benchmarks) puts in the store is what the services read as
 * their own: Axon reads the events back, the chain checks intact, the projection and the history see them.
 */
class StoredEventWriterIT extends BothServicesTestBase {

    @Test
    void bulkWrittenEventsAreReadLikeTheServicesOwn() {
        String account = account();
        KeyCreated created = BulkEvents.keysCreated(account, 1, Instant.parse("2026-06-01T00:00:00Z"), Map.of())
                .findFirst().orElseThrow();
        Instant t = created.occurredAt();
        SecretFingerprint next = new SecretFingerprint("f".repeat(64), "sk_live_…ffff");
        List<KeyEvent> events = List.of(created,
                new KeyUpdated(created.keyId(), created.accountId(), created.mode(),
                        new KeyChanges(new FieldChange<>(created.name(), "renamed"), null, null, null),
                        created.actor(), t.plusSeconds(1), "bulk-u"),
                new SecretRotated(created.keyId(), created.accountId(), created.mode(), null, next,
                        created.secret().sha256(), t.plusSeconds(2), List.of(created.secret().sha256()),
                        List.of(created.secret().sha256()), created.actor(), t.plusSeconds(2), "bulk-r"),
                new KeyDeleted(created.keyId(), created.accountId(), created.mode(), null,
                        List.of(created.secret().sha256(), next.sha256()), created.actor(), t.plusSeconds(3), "bulk-d"));
        BulkEvents.append(system.jdbc().getDataSource(), events.stream());

        String token = TestJwts.forAccount(account).sign();
        String id = created.keyId().toString();
        HttpApi.Reply chain = reads.get("/v1/api-keys/" + id + "/history/verify").bearer(token).send();
        assertThat(chain.status()).as(chain.toString()).isEqualTo(200);
        assertThat(chain.json().at("/data/intact").asBoolean()).isTrue();
        assertThat(chain.json().at("/data/events").asInt()).isEqualTo(4);

        JsonNode history = reads.get("/v1/api-keys/" + id + "/history").bearer(token).send().json().get("data");
        assertThat(Stream.iterate(0, i -> i + 1).limit(history.size()).map(i -> history.get(i).get("type").asText()))
                .containsExactly("KeyCreated", "KeyUpdated", "SecretRotated", "KeyDeleted");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode key = reads.get("/v1/api-keys/" + id).bearer(token).send().json().get("data");
            assertThat(key.get("name").asText()).isEqualTo("renamed");
            assertThat(key.get("deleted").asBoolean()).isTrue();
            assertThat(key.get("version").asLong()).isEqualTo(4);
            assertThat(key.get("key").asText()).isEqualTo("sk_live_…ffff");
        });
    }
}
