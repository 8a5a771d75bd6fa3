package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaContract;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads and Kafka publishing against the real command service, PostgreSQL and Kafka. */
class ReadSideIT extends BothServicesTestBase {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final ObjectMapper JSON = new ObjectMapper();

    static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    static HttpApi.Reply create(String account, Map<String, Object> body) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account)).json(body).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply;
    }

    static HttpApi.Reply list(String account, String query, String consistencyToken) {
        HttpApi.Call call = reads.get("/v1/api-keys/?account_id=" + account + query).bearer(token(account));
        if (consistencyToken != null) {
            call.header("X-Consistency-Token", consistencyToken);
        }
        return call.send();
    }

    @Test
    void twentyFiveKeysPageThroughInThreePagesNewestFirstWithoutDuplicatesOrGaps() {
        String account = account();
        List<String> created = new ArrayList<>();
        String lastToken = null;
        for (int i = 0; i < 25; i++) {
            HttpApi.Reply reply = create(account, Map.of("name", "Key " + i, "permissions", READ));
            created.add(reply.json().at("/data/id").asText());
            lastToken = reply.header("X-Consistency-Token");
            // a token vouches for its own key only: keys of other segments may be projected later, so each is read
            // with its own token before the list is asked for all of them
            assertThat(reads.get("/v1/api-keys/" + created.get(i)).bearer(token(account))
                    .header("X-Consistency-Token", lastToken).send().header("X-Read-Consistency")).isEqualTo("fresh");
        }

        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            HttpApi.Reply reply = list(account, "&page=" + page + "&limit=10", page == 1 ? lastToken : null);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode body = reply.json();
            assertThat(body.get("total").asLong()).isEqualTo(25);
            assertThat(body.get("pages").asLong()).isEqualTo(3);
            assertThat(body.get("page").asInt()).isEqualTo(page);
            assertThat(body.get("limit").asInt()).isEqualTo(10);
            assertThat(body.get("data")).hasSize(page < 3 ? 10 : 5);
            body.get("data").forEach(key -> {
                seen.add(key.get("id").asText());
                assertThat(key.get("key").asText()).startsWith("sk_live_…").hasSize("sk_live_…".length() + 4);
            });
            if (page == 1) {
                assertThat(reply.header("X-Read-Consistency")).isEqualTo("fresh");
            }
        }
        assertThat(new HashSet<>(seen)).hasSize(25).containsExactlyInAnyOrderElementsOf(created);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        HttpApi.Reply beyond = list(account, "&page=4&limit=10", null);
        assertThat(beyond.json().get("data")).isEmpty();
        assertThat(beyond.json().get("total").asLong()).isEqualTo(25);
    }

    @Test
    void theManagedFilterSplitsManagedAndCustomKeysAndDeletedKeysAreLeftOut() {
        String account = account();
        for (int i = 0; i < 3; i++) {
            create(account, Map.of("name", "Managed " + i, "permissions", READ, "managed", true));
        }
        HttpApi.Reply custom = create(account, Map.of("name", "Custom", "permissions", READ));
        HttpApi.Reply doomed = create(account, Map.of("name", "Doomed", "permissions", READ));
        HttpApi.Reply deleted = writes.delete("/v1/api-keys/" + doomed.json().at("/data/id").asText())
                .bearer(token(account)).send();
        String token = deleted.header("X-Consistency-Token");

        assertThat(list(account, "&managed=true", token).json().get("total").asLong()).isEqualTo(3);
        assertThat(list(account, "&managed=false", token).json().get("total").asLong()).isEqualTo(1);
        assertThat(list(account, "", token).json().get("total").asLong()).isEqualTo(4);
        HttpApi.Reply single = reads.get("/v1/api-keys/" + doomed.json().at("/data/id").asText())
                .bearer(token(account)).send();
        assertThat(single.json().at("/data/deleted").asBoolean()).isTrue();
        assertThat(single.json().at("/data/status").asText()).isEqualTo("REVOKED");
        assertThat(custom.status()).isEqualTo(201);
    }

    @Test
    void aSandboxPrincipalSeesNoneOfTheLiveKeys() {
        String account = account();
        HttpApi.Reply live = create(account, Map.of("name", "Live", "permissions", READ));
        String id = live.json().at("/data/id").asText();
        String sandbox = TestJwts.forAccount(account).mode("test").sign();

        HttpApi.Reply listed = reads.get("/v1/api-keys/?account_id=" + account).bearer(sandbox)
                .header("X-Consistency-Token", live.header("X-Consistency-Token")).send();
        assertThat(listed.json().get("total").asLong()).isZero();
        assertThat(listed.json().get("pages").asLong()).isZero();
        assertThat(reads.get("/v1/api-keys/" + id).bearer(sandbox).send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/api-keys/" + id).bearer(token(account)).send().status()).isEqualTo(200);
    }

    @Test
    void theTopicsAreCreatedAtStartupAndTheRevocationTopicIsCompacted() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains(KeyRevocation.TOPIC, KeyEventHeaders.TOPIC);
            var revocations = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, KeyRevocation.TOPIC);
            var events = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, KeyEventHeaders.TOPIC);
            var configs = admin.describeConfigs(List.of(revocations, events)).all().get();
            assertThat(configs.get(revocations).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(admin.describeTopics(List.of(KeyRevocation.TOPIC)).allTopicNames().get()
                    .get(KeyRevocation.TOPIC).partitions()).hasSize(3);
        }
    }

    /** The Kafka contract is public on the query service, like /v3/api-docs: the very document the ITs check against. */
    @Test
    void theAsyncApiDocumentIsServedWithoutACredential() {
        HttpApi.Reply document = reads.get("/v3/asyncapi.json").send();

        assertThat(document.status()).as(document.toString()).isEqualTo(200);
        assertThat(document.header("Content-Type")).startsWith("application/json");
        assertThat(document.json()).isEqualTo(KafkaContract.get().document());
        assertThat(document.json().path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(document.json().at("/channels/keyEvents/address").asText()).isEqualTo(KeyEventHeaders.TOPIC);
        assertThat(document.json().at("/channels/keyRevocations/address").asText()).isEqualTo(KeyRevocation.TOPIC);
    }

    @Test
    void paginationParametersAreValidated() {
        String account = account();
        for (String bad : List.of("&page=0", "&page=-1", "&page=abc", "&limit=0", "&limit=101", "&limit=x",
                "&managed=yes")) {
            HttpApi.Reply reply = list(account, bad, null);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().at("/error/code").asInt()).isEqualTo(400);
        }
        assertThat(reads.get("/v1/api-keys/?account_id=acct_someone_else").bearer(token(account)).send().status())
                .isEqualTo(403);
        assertThat(reads.get("/v1/api-keys/not-a-uuid").bearer(token(account)).send().status()).isEqualTo(404);
    }

    @Test
    void deleteAndApplicationRevokeEachPublishExactlyTheContractsMessages() throws Exception {
        String account = account();
        String app = "9f3c2a51-8d1e-4b7a-a0c4-3e5f6a7b8c9d";
        HttpApi.Reply toDelete = create(account, Map.of("name", "Deleted", "permissions", READ));
        HttpApi.Reply toRevoke = create(account, Map.of("name", "Revoked", "permissions", READ, "application_id", app));
        String deletedId = toDelete.json().at("/data/id").asText();
        String revokedId = toRevoke.json().at("/data/id").asText();
        assertThat(writes.delete("/v1/api-keys/" + deletedId).bearer(token(account)).send().status()).isEqualTo(200);
        assertThat(writes.delete("/api/v1/applications/" + app + "/api-keys/" + revokedId).bearer(token(account))
                .send().status()).isEqualTo(200);

        assertRevocation(deletedId, "deleted", null, toDelete.json().at("/data/key").asText(), account);
        assertRevocation(revokedId, "revoked", app, toRevoke.json().at("/data/key").asText(), account);
        assertEvents(deletedId, List.of("KeyCreated", "KeyDeleted"));
        assertEvents(revokedId, List.of("KeyCreated", "KeyRevoked"));
    }

    private void assertRevocation(String keyId, String reason, String application, String plaintext, String account)
            throws Exception {
        // one revocation, from the publisher and possibly also the command side's prompt send (one event id)
        List<ConsumerRecord<String, String>> records = KafkaRecords.firstOfEachEvent(KafkaRecords.awaitRecords(
                TestKafka.bootstrapServers(), KeyRevocation.TOPIC, r -> keyId.equals(r.key()), 1, Duration.ofSeconds(30)));
        assertThat(records).hasSize(1);
        JsonNode value = JSON.readTree(records.get(0).value());
        assertThat(value.get("key_id").asText()).isEqualTo(keyId);
        assertThat(value.get("account_id").asText()).isEqualTo(account);
        assertThat(value.get("mode").asText()).isEqualTo("live");
        assertThat(value.get("reason").asText()).isEqualTo(reason);
        assertThat(value.get("key_revoked").asBoolean()).isTrue();
        assertThat(value.get("secret_sha256").asText()).isEqualTo(SecretFormat.sha256(plaintext));
        assertThat(value.get("revoked_at").asText()).isNotBlank();
        assertThat(value.get("event_id").asText()).isNotBlank();
        if (application == null) {
            assertThat(value.get("application_id").isNull()).isTrue();
        } else {
            assertThat(value.get("application_id").asText()).isEqualTo(application);
        }
        assertThat(records.get(0).value()).doesNotContain(plaintext);
    }

    private void assertEvents(String keyId, List<String> types) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyEventHeaders.TOPIC, r -> keyId.equals(r.key()), types.size(), Duration.ofSeconds(30));
        assertThat(records).extracting(r -> KafkaRecords.header(r, KeyEventHeaders.EVENT_TYPE))
                .containsExactlyElementsOf(types);
        Set<String> eventIds = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            JsonNode value = JSON.readTree(record.value());
            assertThat(KafkaRecords.header(record, KeyEventHeaders.MODE)).isEqualTo("live");
            assertThat(KafkaRecords.header(record, KeyEventHeaders.REVISION)).isEqualTo("3");
            assertThat(KafkaRecords.header(record, KeyEventHeaders.CE_SOURCE)).isEqualTo("/hsrcpay/api-keys");
            assertThat(KafkaRecords.header(record, KeyEventHeaders.CE_TYPE)).isEqualTo("com.hsrcpay.apikey." + types.get(i));
            eventIds.add(KafkaRecords.header(record, KeyEventHeaders.EVENT_ID));
            // the published message, not the stored event's camelCase form
            assertThat(value.get("key_id").asText()).isEqualTo(keyId);
            assertThat(value.get("sequence_number").asLong()).isEqualTo(i);
            assertThat(value.get("type").asText()).isEqualTo(types.get(i));
            assertThat(value.has("keyId")).isFalse();
        }
        assertThat(eventIds).hasSize(types.size()).doesNotContainNull();
    }
}
