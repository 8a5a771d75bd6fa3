package com.hsrcpay.apikeys.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract check refuses what the AsyncAPI document does not allow: each case changes one thing of a record the
 * check accepts, so a refusal is for that one thing.
 */
class KafkaContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11";
    private static final String EVENT = "0f7d3a52-6c1e-4b8a-9d2f-3e4a5b6c7d8e";
    private static final String SHA = "a".repeat(64);

    private final KafkaContract contract = KafkaContract.get();

    /**
     * The document itself is AsyncAPI 3.0: checked against the specification's JSON Schema (schemas/3.0.0-without-$id
     * of the npm package @asyncapi/specs 6.11.1, Apache-2.0, kept as a test resource).
     */
    @Test
    void theDocumentIsAnAsyncApi3Document() throws Exception {
        JsonSchema specification;
        try (InputStream in = getClass().getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            specification = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }

        assertThat(specification.validate(contract.document())).isEmpty();
        assertThat(contract.document().path("asyncapi").asText()).isEqualTo("3.0.0");
        // and the check is not vacuous: a channel without its address' type is refused
        ObjectNode broken = contract.document().deepCopy();
        ((ObjectNode) broken.at("/channels/keyEvents")).put("address", 42);
        assertThat(specification.validate(broken)).isNotEmpty();
    }

    @Test
    void aRecordOfEachTopicAsPublishedIsAccepted() {
        assertThat(contract.violations(event(value -> { }, headers -> { }))).isEmpty();
        assertThat(contract.violations(revocation(value -> { }))).isEmpty();
    }

    @Test
    void aCheckpointIsTextWithItsOriginAsKeyAndAnythingElseIsRefused() {
        String note = "example.com/log\n5\n" + "A".repeat(43) + "=\n\n\u2014 example.com/log "
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
        Map<String, String> text = Map.of("content-type", "text/plain");
        assertThat(contract.violations(record("api-key-checkpoints", "example.com/log", text, note))).isEmpty();
        assertThat(contract.violations(record("api-key-checkpoints", "another/log", text, note)))
                .anySatisfy(v -> assertThat(v).contains("record key"));
        assertThat(contract.violations(record("api-key-checkpoints", "example.com/log",
                Map.of("content-type", "application/json"), note))).anySatisfy(v -> assertThat(v).contains("headers"));
        assertThat(contract.violations(record("api-key-checkpoints", "example.com/log", text,
                note.replace("\n5\n", "\n05\n")))).anySatisfy(v -> assertThat(v).contains("value"));
        assertThat(contract.violations(record("api-key-checkpoints", "example.com/log", text,
                note.substring(0, note.indexOf("\n\n") + 1)))).as("unsigned").anySatisfy(v -> assertThat(v).contains("value"));
    }

    @Test
    void aMissingFieldIsRefused() {
        assertThat(contract.violations(event(value -> value.remove("sequence_number"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("value").contains("sequence_number"));
        assertThat(contract.violations(event(value -> data(value).remove("secret_sha256"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("secret_sha256"));
        assertThat(contract.violations(revocation(value -> value.remove("reason"))))
                .anySatisfy(v -> assertThat(v).contains("reason"));
    }

    @Test
    void aCamelCaseFieldIsRefused() {
        assertThat(contract.violations(event(value -> value.set("keyId", value.remove("key_id")), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("keyId"))
                .anySatisfy(v -> assertThat(v).contains("key_id"));
        assertThat(contract.violations(event(value -> data(value).set("secretSha256", data(value).remove("secret_sha256")),
                headers -> { }))).anySatisfy(v -> assertThat(v).contains("secretSha256"));
    }

    @Test
    void anExtraFieldIsRefused() {
        assertThat(contract.violations(event(value -> value.put("payload", "{}"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("payload"));
        assertThat(contract.violations(event(value -> data(value).put("secret", "sk_live_plaintext"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("secret"));
        assertThat(contract.violations(revocation(value -> value.put("extra", true))))
                .anySatisfy(v -> assertThat(v).contains("extra"));
    }

    @Test
    void theDataOfAnotherTypeIsRefused() {
        // KeyCreated's envelope with KeyDeleted's data
        assertThat(contract.violations(event(value -> value.set("data", JSON.createObjectNode()
                .putNull("application_id").set("revoked_secret_sha256s", JSON.createArrayNode().add(SHA))),
                headers -> { }))).isNotEmpty();
    }

    @Test
    void malformedValuesAreRefused() {
        assertThat(contract.violations(event(value -> value.put("occurred_at", "yesterday"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("occurred_at"));
        assertThat(contract.violations(event(value -> data(value).put("secret_sha256", "not-a-hash"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("secret_sha256"));
        assertThat(contract.violations(event(value -> value.put("mode", "LIVE"), headers -> {
            headers.put("mode", "LIVE");
        }))).anySatisfy(v -> assertThat(v).contains("mode"));
        assertThat(contract.violations(event(value -> value.put("type", "KeyExploded"), headers -> { })))
                .anySatisfy(v -> assertThat(v).contains("KeyExploded"));
    }

    @Test
    void missingOrWrongCloudEventHeadersAreRefused() {
        assertThat(contract.violations(event(value -> { }, headers -> headers.remove("ce_specversion"))))
                .anySatisfy(v -> assertThat(v).contains("headers").contains("ce_specversion"));
        assertThat(contract.violations(event(value -> { }, headers -> headers.put("ce_type", "com.hsrcpay.apikey.KeyDeleted"))))
                .isNotEmpty();
        assertThat(contract.violations(event(value -> { }, headers -> headers.put("ce_id", "1b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11"))))
                .anySatisfy(v -> assertThat(v).contains("ce_id"));
        assertThat(contract.violations(event(value -> { }, headers -> headers.put("ce_time", "2026-11-24T11:00:00Z"))))
                .anySatisfy(v -> assertThat(v).contains("ce_time"));
        assertThat(contract.violations(event(value -> { }, headers -> headers.put("x-debug", "1"))))
                .anySatisfy(v -> assertThat(v).contains("x-debug"));
    }

    @Test
    void theSameInstantInAnotherNotationIsTheSameTime() {
        assertThat(contract.violations(event(value -> { }, headers -> headers.put("ce_time", "2026-11-24T10:00:00.123456000Z"))))
                .isEmpty();
    }

    @Test
    void aRecordKeyThatIsNotTheKeyIdIsRefused() {
        ConsumerRecord<String, String> event = event(value -> { }, headers -> { });
        assertThat(contract.violations(record(event.topic(), "another", Map.of("ce_id", EVENT), event.value())))
                .anySatisfy(v -> assertThat(v).contains("record key"));
    }

    @Test
    void aTombstoneAndAnUnknownTopicAreRefused() {
        assertThat(contract.violations(record("api-key-revocations", KEY, Map.of("event_id", EVENT), null)))
                .anySatisfy(v -> assertThat(v).contains("tombstone"));
        assertThat(contract.violations(record("api-key-webhooks", KEY, Map.of(), "{}")))
                .anySatisfy(v -> assertThat(v).contains("no channel"));
    }

    @Test
    void checkFailsWithEveryViolation() {
        assertThatThrownBy(() -> contract.check(event(value -> value.remove("actor"), headers -> headers.remove("mode"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("actor").hasMessageContaining("mode");
    }

    private static ObjectNode data(ObjectNode value) {
        return (ObjectNode) value.get("data");
    }

    private static ConsumerRecord<String, String> event(Consumer<ObjectNode> changeValue,
                                                        Consumer<Map<String, String>> changeHeaders) {
        ObjectNode value = JSON.createObjectNode()
                .put("event_id", EVENT).put("key_id", KEY).put("account_id", "acct_1a2b").put("mode", "live")
                .put("sequence_number", 0).put("type", "KeyCreated").put("occurred_at", "2026-11-24T10:00:00.123456Z");
        value.putObject("actor").put("type", "USER").put("id", "user_1");
        value.put("request_id", "req_1");
        ObjectNode data = value.putObject("data");
        data.putNull("application_id").put("name", "Backend").put("key_type", "SECRET");
        data.putObject("permissions").putArray("account:api:key").add("read");
        data.putObject("metadata").put("team", "payments");
        data.putNull("expires_at").put("managed", true).put("secret_sha256", SHA).put("secret_hint", "sk_live_…aaaa");
        data.putArray("ratelimits").addObject().put("name", "per_second").put("limit", 10).put("duration_ms", 1000);
        data.putNull("credits");
        changeValue.accept(value);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", EVENT);
        headers.put("ce_source", "/hsrcpay/api-keys");
        headers.put("ce_type", "com.hsrcpay.apikey.KeyCreated");
        headers.put("ce_time", "2026-11-24T10:00:00.123456Z");
        headers.put("ce_subject", KEY);
        headers.put("content-type", "application/json");
        headers.put("event_type", "KeyCreated");
        headers.put("event_id", EVENT);
        headers.put("mode", "live");
        headers.put("revision", "2");
        changeHeaders.accept(headers);
        return record("api-key-events", KEY, headers, value.toString());
    }

    private static ConsumerRecord<String, String> revocation(Consumer<ObjectNode> changeValue) {
        ObjectNode value = JSON.createObjectNode()
                .put("event_id", EVENT).put("key_id", KEY).put("account_id", "acct_1a2b").putNull("application_id")
                .put("mode", "test").put("secret_sha256", SHA);
        value.putArray("revoked_secret_sha256s").add(SHA);
        value.put("reason", "deleted").put("key_revoked", true).put("revoked_at", "2026-11-24T10:00:00Z");
        changeValue.accept(value);
        return record("api-key-revocations", KEY, Map.of("event_id", EVENT), value.toString());
    }

    private static ConsumerRecord<String, String> record(String topic, String key, Map<String, String> headers,
                                                         String value) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, text) -> kafkaHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(topic, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, kafkaHeaders,
                Optional.empty());
    }
}
