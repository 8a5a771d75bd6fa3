package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the command service's deadlines cause on the read side: an expiry and the end of a rotation grace update the
 * key list and the key lookup, land in the revocation list and go out on the revocation topic.
 */
class ExpiryAndGraceReadSideIT extends BothServicesTestBase {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration AT_MOST = Duration.ofSeconds(20);

    static JdbcTemplate jdbc;

    @BeforeAll
    static void readModel() {
        jdbc = system.jdbc();
    }

    @Test
    void anExpiredKeyIsExpiredInTheReadModelAndItsRevocationIsPublished() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "Short-lived", "permissions", READ,
                        "expires_at", Instant.now().plusSeconds(3).toString())).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        String sha256 = SecretFormat.sha256(created.json().at("/data/key").asText());

        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(jdbc.queryForObject("SELECT status FROM read_model.api_key WHERE key_id = ?", String.class,
                    UUID.fromString(id))).isEqualTo("EXPIRED");
            assertThat(reason(sha256)).isEqualTo("expired");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM read_model.key_secret WHERE key_id = ?", Long.class,
                UUID.fromString(id))).isZero();

        JsonNode revocation = revocationOf(id, sha256);
        assertThat(revocation.get("reason").asText()).isEqualTo("expired");
        assertThat(revocation.get("key_revoked").asBoolean()).isTrue();
    }

    @Test
    void theEndOfARotationGraceRetiresThePreviousSecretEverywhere() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "Rotating", "permissions", READ, "managed", true)).send();
        String id = created.json().at("/data/id").asText();
        String first = SecretFormat.sha256(created.json().at("/data/key").asText());
        HttpApi.Reply rotated = writes.post("/v1/api-keys/" + id + "/regenerate").bearer(token(account))
                .json(Map.of("grace_period_seconds", 2)).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String second = SecretFormat.sha256(rotated.json().at("/data/key").asText());

        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(jdbc.queryForObject("SELECT version FROM read_model.api_key WHERE key_id = ?", Long.class,
                    UUID.fromString(id))).isEqualTo(3);
            assertThat(reason(first)).isEqualTo("rotated");
        });
        assertThat(jdbc.queryForList("SELECT secret_sha256 FROM read_model.key_secret WHERE key_id = ?", String.class,
                UUID.fromString(id))).containsExactly(second);
        assertThat(jdbc.queryForObject("SELECT status FROM read_model.api_key WHERE key_id = ?", String.class,
                UUID.fromString(id))).isEqualTo("ACTIVE");

        JsonNode revocation = revocationOf(id, first);
        assertThat(revocation.get("reason").asText()).isEqualTo("rotated");
        assertThat(revocation.get("key_revoked").asBoolean()).isFalse();
        assertThat(revocation.get("revoked_secret_sha256s")).extracting(JsonNode::asText).containsExactly(first);
    }

    private static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    private static String reason(String sha256) {
        return jdbc.queryForList("SELECT reason FROM read_model.revocation WHERE secret_sha256 = ?", String.class, sha256)
                .stream().findFirst().orElse(null);
    }

    private static JsonNode revocationOf(String keyId, String sha256) {
        List<ConsumerRecord<String, String>> records = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyRevocation.TOPIC, r -> keyId.equals(r.key()) && r.value().contains(sha256), 1, AT_MOST);
        try {
            return JSON.readTree(records.get(records.size() - 1).value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
