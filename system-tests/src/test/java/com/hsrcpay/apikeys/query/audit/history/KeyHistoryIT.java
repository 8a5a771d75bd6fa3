package com.hsrcpay.apikeys.query.audit.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.query.BothServicesTestBase;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History, point-in-time reads and the hash chain of a key, against the real command and query services on one
 * real PostgreSQL: the history and as_of come from the event store, the verify endpoint from its raw rows.
 */
class KeyHistoryIT extends BothServicesTestBase {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    static String auditorToken(String account) {
        return new TestJwts.Token("auditor_1", account, TestJwts.ALL_KEY_PERMISSIONS, "live",
                Instant.now().plus(Duration.ofHours(1)), null, TestJwts.HMAC_SECRET).sign();
    }

    static HttpApi.Reply create(String account, String name, boolean managed, String requestId) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .header("X-Request-Id", requestId)
                .json(Map.of("name", name, "permissions", READ, "managed", managed)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply;
    }

    static HttpApi.Reply history(String id, String bearer, String query) {
        return reads.get("/v1/api-keys/" + id + "/history" + query).bearer(bearer).send();
    }

    static HttpApi.Reply verify(String id, String bearer) {
        return reads.get("/v1/api-keys/" + id + "/history/verify").bearer(bearer).send();
    }

    static HttpApi.Reply asOf(String id, String bearer, String instant) {
        return reads.get("/v1/api-keys/" + id + "?as_of=" + instant).bearer(bearer).send();
    }

    static void pause() {
        try {
            Thread.sleep(20); // events of different requests get distinct instants
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** create, patch (rename + deactivate: two events), regenerate, delete: five events. */
    record Lifecycle(String account, String id, List<String> plaintexts, List<Instant> times) {
    }

    static Lifecycle lifecycle() {
        String account = account();
        List<String> plaintexts = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        HttpApi.Reply created = create(account, "Old Name", true, "req-create-1");
        String id = created.json().at("/data/id").asText();
        plaintexts.add(created.json().at("/data/key").asText());
        times.add(Instant.parse(created.json().at("/data/created_at").asText()));
        pause();
        HttpApi.Reply patched = writes.patch("/v1/api-keys/" + id).bearer(auditorToken(account))
                .header("X-Request-Id", "req-patch-1").json(Map.of("name", "New Name", "status", "INACTIVE")).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        times.add(Instant.parse(patched.json().at("/data/updated_at").asText()));
        pause();
        HttpApi.Reply rotated = writes.post("/v1/api-keys/" + id + "/regenerate").bearer(token(account))
                .header("X-Request-Id", "req-rotate-1").send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        plaintexts.add(rotated.json().at("/data/key").asText());
        times.add(Instant.parse(rotated.json().at("/data/updated_at").asText()));
        pause();
        HttpApi.Reply deleted = writes.delete("/v1/api-keys/" + id).bearer(token(account))
                .header("X-Request-Id", "req-delete-1").send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        times.add(Instant.parse(deleted.json().at("/data/updated_at").asText()));
        return new Lifecycle(account, id, plaintexts, times);
    }

    @Test
    void theHistoryListsEveryEventInOrderWithActorsRequestIdsAndBeforeAfterButNoSecret() {
        Lifecycle key = lifecycle();
        HttpApi.Reply reply = history(key.id(), token(key.account()), "");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("total").asLong()).isEqualTo(5);
        assertThat(body.get("page").asInt()).isEqualTo(1);
        assertThat(body.get("limit").asInt()).isEqualTo(10);
        assertThat(body.get("pages").asLong()).isEqualTo(1);
        JsonNode data = body.get("data");
        List<String> types = new ArrayList<>();
        data.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("KeyCreated", "KeyUpdated", "KeyDeactivated", "SecretRotated", "KeyDeleted");
        for (int i = 0; i < 5; i++) {
            assertThat(data.get(i).get("sequence_number").asLong()).isEqualTo(i);
            assertThat(data.get(i).has("occurred_at")).isTrue();
        }

        JsonNode createdEntry = data.get(0);
        assertThat(createdEntry.at("/actor/type").asText()).isEqualTo("USER");
        assertThat(createdEntry.at("/actor/id").asText()).isEqualTo("user_" + key.account());
        assertThat(createdEntry.get("request_id").asText()).isEqualTo("req-create-1");
        assertThat(createdEntry.at("/changes/name/before").isNull()).isTrue();
        assertThat(createdEntry.at("/changes/name/after").asText()).isEqualTo("Old Name");
        assertThat(createdEntry.at("/changes/status/after").asText()).isEqualTo("ACTIVE");
        assertThat(Instant.parse(createdEntry.get("occurred_at").asText())).isEqualTo(key.times().get(0));

        JsonNode renamed = data.get(1);
        assertThat(renamed.at("/actor/id").asText()).isEqualTo("auditor_1");
        assertThat(renamed.get("request_id").asText()).isEqualTo("req-patch-1");
        assertThat(renamed.at("/changes/name/before").asText()).isEqualTo("Old Name");
        assertThat(renamed.at("/changes/name/after").asText()).isEqualTo("New Name");
        assertThat(renamed.get("changes").size()).isEqualTo(1);

        JsonNode deactivated = data.get(2);
        assertThat(deactivated.get("request_id").asText()).isEqualTo("req-patch-1");
        assertThat(deactivated.at("/changes/status/before").asText()).isEqualTo("ACTIVE");
        assertThat(deactivated.at("/changes/status/after").asText()).isEqualTo("INACTIVE");

        JsonNode rotated = data.get(3);
        assertThat(rotated.get("request_id").asText()).isEqualTo("req-rotate-1");
        assertThat(rotated.at("/changes/key/before").asText()).startsWith("sk_live_…");
        assertThat(rotated.at("/changes/key/after").asText()).startsWith("sk_live_…")
                .isNotEqualTo(rotated.at("/changes/key/before").asText());

        JsonNode deleted = data.get(4);
        assertThat(deleted.get("request_id").asText()).isEqualTo("req-delete-1");
        assertThat(deleted.at("/changes/status/before").asText()).isEqualTo("INACTIVE");
        assertThat(deleted.at("/changes/status/after").asText()).isEqualTo("REVOKED");
        assertThat(deleted.at("/changes/deleted/before").asBoolean()).isFalse();
        assertThat(deleted.at("/changes/deleted/after").asBoolean()).isTrue();

        for (String plaintext : key.plaintexts()) {
            assertThat(plaintext).isNotBlank();
            assertThat(reply.body()).doesNotContain(plaintext);
        }
        assertThat(reply.body()).doesNotContainIgnoringCase("sha256");
    }

    @Test
    void theHistoryPagesLikeTheListAndValidatesItsParameters() {
        Lifecycle key = lifecycle();
        String bearer = token(key.account());
        JsonNode last = history(key.id(), bearer, "?page=3&limit=2").json();
        assertThat(last.get("total").asLong()).isEqualTo(5);
        assertThat(last.get("pages").asLong()).isEqualTo(3);
        assertThat(last.get("data")).hasSize(1);
        assertThat(last.at("/data/0/sequence_number").asLong()).isEqualTo(4);
        assertThat(history(key.id(), bearer, "?page=4&limit=2").json().get("data")).isEmpty();
        for (String bad : List.of("?limit=0", "?limit=101", "?page=0", "?page=x")) {
            HttpApi.Reply reply = history(key.id(), bearer, bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("success").asBoolean()).isFalse();
        }
        assertThat(history("not-a-uuid", bearer, "").status()).isEqualTo(404);
        assertThat(verify("not-a-uuid", bearer).status()).isEqualTo(404);
        assertThat(history("7d1f6a2e-0000-4000-8000-000000000000", bearer, "").status()).isEqualTo(404);
    }

    @Test
    void anotherAccountOrTheSandboxSeesNoHistoryVerdictOrPastStateAndReadPermissionIsRequired() {
        String account = account();
        String id = create(account, "Mine", false, "req-iso-1").json().at("/data/id").asText();
        String now = Instant.now().plusSeconds(5).toString();
        String other = token(account());
        String sandbox = TestJwts.forAccount(account).mode("test").sign();
        for (String bearer : List.of(other, sandbox)) {
            assertThat(history(id, bearer, "").status()).isEqualTo(404);
            assertThat(verify(id, bearer).status()).isEqualTo(404);
            assertThat(asOf(id, bearer, now).status()).isEqualTo(404);
        }
        String noRead = TestJwts.forAccount(account).permissions("account:api:key:create").sign();
        assertThat(history(id, noRead, "").status()).isEqualTo(403);
        assertThat(verify(id, noRead).status()).isEqualTo(403);
        assertThat(asOf(id, noRead, now).status()).isEqualTo(403);
        assertThat(history(id, token(account), "").status()).isEqualTo(200);
    }

    @Test
    void asOfRebuildsTheKeyAsItWasBeforeCreationBetweenChangesAndAfterDeletion() {
        Lifecycle key = lifecycle();
        String bearer = token(key.account());
        List<Instant> t = key.times();

        HttpApi.Reply before = asOf(key.id(), bearer, t.get(0).minusMillis(1).toString());
        assertThat(before.status()).as(before.toString()).isEqualTo(404);

        JsonNode atCreation = asOf(key.id(), bearer, t.get(0).toString()).json().get("data");
        assertThat(atCreation.get("object").asText()).isEqualTo("api_key");
        assertThat(atCreation.get("id").asText()).isEqualTo(key.id());
        assertThat(atCreation.get("account_id").asText()).isEqualTo(key.account());
        assertThat(atCreation.get("name").asText()).isEqualTo("Old Name");
        assertThat(atCreation.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(atCreation.get("deleted").asBoolean()).isFalse();
        assertThat(atCreation.get("managed").asBoolean()).isTrue();
        assertThat(atCreation.get("version").asLong()).isEqualTo(1);
        assertThat(atCreation.at("/permissions/account:api:key/0").asText()).isEqualTo("read");
        assertThat(atCreation.get("key").asText()).startsWith("sk_live_…");

        // between the patch and the rotation: renamed and INACTIVE, the first secret's hint still
        JsonNode between = asOf(key.id(), bearer, t.get(1).plusMillis(5).toString()).json().get("data");
        assertThat(between.get("name").asText()).isEqualTo("New Name");
        assertThat(between.get("status").asText()).isEqualTo("INACTIVE");
        assertThat(between.get("deleted").asBoolean()).isFalse();
        assertThat(between.get("version").asLong()).isEqualTo(3);
        assertThat(between.get("key").asText()).isEqualTo(atCreation.get("key").asText());

        HttpApi.Reply after = asOf(key.id(), bearer, t.get(3).plusSeconds(60).toString());
        assertThat(after.status()).isEqualTo(200);
        JsonNode gone = after.json().get("data");
        assertThat(gone.get("deleted").asBoolean()).isTrue();
        assertThat(gone.get("status").asText()).isEqualTo("REVOKED");
        assertThat(gone.get("version").asLong()).isEqualTo(5);
        assertThat(gone.get("key").asText()).isNotEqualTo(atCreation.get("key").asText());
        assertThat(Instant.parse(gone.get("updated_at").asText())).isEqualTo(t.get(3));

        // an offset instead of Z is the same instant
        String withOffset = t.get(0).atOffset(java.time.ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
        assertThat(asOf(key.id(), bearer, withOffset).json().at("/data/name").asText()).isEqualTo("Old Name");

        for (String malformed : List.of("yesterday", "2026-13-01T00:00:00Z", "1700000000", "")) {
            HttpApi.Reply reply = asOf(key.id(), bearer, malformed);
            assertThat(reply.status()).as(malformed + " " + reply).isEqualTo(400);
            assertThat(reply.json().at("/error/code").asInt()).isEqualTo(400);
        }
    }

    @Test
    void aStoredEventEditedInPostgresBreaksTheChainAtThatSequenceNumberWhileOtherKeysStayIntact() {
        String account = account();
        String bearer = token(account);
        String tampered = create(account, "Old Name", false, "req-tamper-1").json().at("/data/id").asText();
        HttpApi.Reply renamed = writes.patch("/v1/api-keys/" + tampered).bearer(bearer)
                .json(Map.of("name", "Renamed")).send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        writes.patch("/v1/api-keys/" + tampered).bearer(bearer).json(Map.of("status", "INACTIVE")).send();
        String untouched = create(account, "Old Name", false, "req-tamper-2").json().at("/data/id").asText();

        JsonNode intact = verify(tampered, bearer).json().get("data");
        assertThat(intact.get("intact").asBoolean()).isTrue();
        assertThat(intact.get("events").asLong()).isEqualTo(3);
        assertThat(intact.get("broken_at").isNull()).isTrue();

        int updated = system.jdbc().update("""
                UPDATE event_store.domain_event_entry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'Old', 'Evil'), 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 1""", tampered);
        assertThat(updated).isEqualTo(1);

        HttpApi.Reply reply = verify(tampered, bearer);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode broken = reply.json().get("data");
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("events").asLong()).isEqualTo(3);
        assertThat(broken.get("broken_at").asLong()).isEqualTo(1);

        JsonNode other = verify(untouched, bearer).json().get("data");
        assertThat(other.get("intact").asBoolean()).isTrue();
        assertThat(other.get("events").asLong()).isEqualTo(1);

        // a row that no longer parses at all is caught too (whose key it is comes from the read model then)
        system.awaitCaughtUp(queryService, Duration.ofSeconds(30));
        system.jdbc().update("""
                UPDATE event_store.domain_event_entry SET payload = convert_to('{"broken', 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 0""", untouched);
        JsonNode unparseable = verify(untouched, bearer).json().get("data");
        assertThat(unparseable.get("intact").asBoolean()).isFalse();
        assertThat(unparseable.get("broken_at").asLong()).isZero();
        assertThat(verify(untouched, token(account())).status()).isEqualTo(404);
    }
}
