package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Keys as credentials on both services, the verify API, and last use; real PostgreSQL and Kafka. */
class KeyCredentialsIT extends BothServicesTestBase {

    /** Everything a key can be given by the test JWT, which holds the four key permissions (not a wildcard). */
    static final Map<String, List<String>> ALL = Map.of("account:api:key", List.of("read", "create", "update", "delete"));
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    /** Creates a key with a JWT and waits until the read side knows it; returns the create response's data. */
    static JsonNode key(String account, String mode, Map<String, Object> body) {
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account)
                .bearer(TestJwts.forAccount(account).mode(mode).sign()).json(body).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        HttpApi.Reply read = reads.get("/v1/api-keys/" + id).bearer(TestJwts.forAccount(account).mode(mode).sign())
                .header("X-Consistency-Token", created.header("X-Consistency-Token")).send();
        assertThat(read.header("X-Read-Consistency")).isEqualTo("fresh");
        return created.json().get("data");
    }

    static int listWith(String secret, String account) {
        return reads.get("/v1/api-keys/?account_id=" + account).bearer(secret).send().status();
    }

    @Test
    void aReadOnlyKeyCanListButNotCreate() {
        String account = account();
        String secret = key(account, "live", Map.of("name", "Reader", "permissions", READ)).get("key").asText();

        HttpApi.Reply listed = reads.get("/v1/api-keys/?account_id=" + account).bearer(secret).send();
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("total").asLong()).isEqualTo(1);
        HttpApi.Reply create = writes.post("/v1/api-keys/?account_id=" + account).bearer(secret)
                .json(Map.of("name", "Nope", "permissions", READ)).send();
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        assertThat(create.json().at("/error/details/reason").asText()).isEqualTo("missing_permission");
        assertThat(reads.get("/v1/api-keys/?account_id=acct_other").bearer(secret).send().status()).isEqualTo(403);
    }

    @Test
    void aSandboxKeyNeverSeesLiveKeysAndCreatesTestKeys() {
        String account = account();
        JsonNode live = key(account, "live", Map.of("name", "Live", "permissions", READ));
        String sandboxSecret = key(account, "test", Map.of("name", "Sandbox", "permissions", ALL)).get("key").asText();
        assertThat(sandboxSecret).startsWith("sk_test_");

        HttpApi.Reply listed = reads.get("/v1/api-keys/?account_id=" + account).bearer(sandboxSecret).send();
        assertThat(listed.json().get("total").asLong()).isEqualTo(1);
        assertThat(listed.json().at("/data/0/name").asText()).isEqualTo("Sandbox");
        assertThat(reads.get("/v1/api-keys/" + live.get("id").asText()).bearer(sandboxSecret).send().status())
                .isEqualTo(404);
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(sandboxSecret)
                .json(Map.of("name", "Made by a sandbox key", "permissions", READ)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().at("/data/key").asText()).startsWith("sk_test_");
    }

    @Test
    void publishableKeysAreForbiddenAndUnknownOrMistypedKeysUnauthorized() {
        String account = account();
        String publishable = key(account, "live", Map.of("name", "Pub", "permissions", READ, "type", "PUBLISHABLE"))
                .get("key").asText();
        String secret = key(account, "live", Map.of("name", "Secret", "permissions", READ)).get("key").asText();

        assertThat(listWith(publishable, account)).isEqualTo(403);
        String mistyped = secret.substring(0, secret.length() - 1) + (secret.endsWith("a") ? "b" : "a");
        HttpApi.Reply refused = reads.get("/v1/api-keys/?account_id=" + account).bearer(mistyped).send();
        HttpApi.Reply unknown = reads.get("/v1/api-keys/?account_id=" + account)
                .bearer(secret.replace("sk_live_", "sk_test_")).send();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(refused.body()).as("no oracle: every refused key gets the same body").isEqualTo(unknown.body());
    }

    @Test
    void aRevokedKeyIsRefusedByBothServicesWithinOneSecond() {
        String account = account();
        String secret = key(account, "live", Map.of("name", "Doomed", "permissions", ALL)).get("key").asText();
        String id = key(account, "live", Map.of("name", "Target", "permissions", READ)).get("id").asText();
        // warm both services' caches with the key
        assertThat(listWith(secret, account)).isEqualTo(200);
        assertThat(writes.patch("/v1/api-keys/" + id).bearer(secret).json(Map.of("name", "Touched")).send().status())
                .isEqualTo(200);
        String doomedId = reads.get("/v1/api-keys/?account_id=" + account).bearer(secret).send()
                .json().at("/data/1/id").asText();

        HttpApi.Reply deleted = writes.delete("/v1/api-keys/" + doomedId).bearer(TestJwts.forAccount(account).sign()).send();
        long returned = System.nanoTime();
        assertThat(deleted.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
                listWith(secret, account) == 401
                        && writes.patch("/v1/api-keys/" + id).bearer(secret).json(Map.of("name", "x")).send().status() == 401);
        long elapsedMillis = (System.nanoTime() - returned) / 1_000_000;
        assertThat(elapsedMillis).as("both services refuse the key within 1 s of the revoke returning")
                .isLessThan(1_000);
    }

    @Test
    void anExpiredKeyIsRefusedFromTheInstantItExpires() {
        String account = account();
        Instant expiry = Instant.now().plusSeconds(3);
        String secret = key(account, "live", Map.of("name", "Short-lived", "permissions", READ,
                "expires_at", expiry.toString())).get("key").asText();
        assertThat(listWith(secret, account)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiry));
        assertThat(listWith(secret, account)).isEqualTo(401);
        HttpApi.Reply verified = reads.post("/v1/keys/verify").bearer(platformToken()).json(Map.of("key", secret)).send();
        assertThat(verified.json().at("/data/code").asText()).isEqualTo("EXPIRED");
    }

    @Test
    void rotationWithoutGraceStopsTheOldSecretAtOnceAndWithGraceLater() {
        String account = account();
        JsonNode managed = key(account, "live", Map.of("name", "Managed", "permissions", READ, "managed", true));
        String first = managed.get("key").asText();
        String id = managed.get("id").asText();
        String jwt = TestJwts.forAccount(account).sign();
        assertThat(listWith(first, account)).isEqualTo(200);

        String second = writes.post("/v1/api-keys/" + id + "/regenerate").bearer(jwt).send().json().at("/data/key").asText();
        await().atMost(Duration.ofSeconds(2)).until(() -> listWith(first, account) == 401 && listWith(second, account) == 200);

        HttpApi.Reply graceful = writes.post("/v1/api-keys/" + id + "/regenerate").bearer(jwt)
                .json(Map.of("grace_period_seconds", 3)).send();
        Instant graceEnds = Instant.now().plusSeconds(3);
        String third = graceful.json().at("/data/key").asText();
        await().atMost(Duration.ofSeconds(2)).until(() -> listWith(third, account) == 200);
        assertThat(listWith(second, account)).as("the previous secret works during the grace").isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(graceEnds.plusMillis(200)));
        assertThat(listWith(second, account)).as("and stops when it ends").isEqualTo(401);
        assertThat(listWith(third, account)).isEqualTo(200);
    }

    @Test
    void lastUseIsVisibleWithinTwoSeconds() {
        String account = account();
        JsonNode key = key(account, "live", Map.of("name", "Used", "permissions", READ));
        String jwt = TestJwts.forAccount(account).sign();
        assertThat(reads.get("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().json().at("/data/last_used_at")
                .isNull()).isTrue();

        Instant before = Instant.now().minusSeconds(1);
        assertThat(listWith(key.get("key").asText(), account)).isEqualTo(200);
        long used = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> !reads
                .get("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().json().at("/data/last_used_at").isNull());
        assertThat((System.nanoTime() - used) / 1_000_000).isLessThan(2_000);
        JsonNode read = reads.get("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().json().get("data");
        assertThat(Instant.parse(read.get("last_used_at").asText())).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(read.get("last_used_ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void theVerifyApiAnswersEveryCode() {
        String account = account();
        JsonNode key = key(account, "live", Map.of("name", "Checked", "permissions", READ));
        String secret = key.get("key").asText();
        String platform = platformToken();

        JsonNode valid = verify(platform, secret, "account:api:key:read");
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("code").asText()).isEqualTo("VALID");
        assertThat(valid.get("key_id").asText()).isEqualTo(key.get("id").asText());
        assertThat(valid.get("account_id").asText()).isEqualTo(account);
        assertThat(valid.get("mode").asText()).isEqualTo("live");
        assertThat(valid.at("/permissions/account:api:key/0").asText()).isEqualTo("read");
        assertThat(verify(platform, secret, "account:api:key:delete").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(verify(platform, "sk_live_notakeyatall", null).get("code").asText()).isEqualTo("NOT_FOUND");
        JsonNode otherAccount = verify(TestJwts.forAccount("acct_stranger").sign(), secret, null);
        assertThat(otherAccount.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(otherAccount.has("key_id")).isFalse();
        assertThat(verify(TestJwts.forAccount(account).sign(), secret, null).get("code").asText()).isEqualTo("VALID");

        String jwt = TestJwts.forAccount(account).sign();
        assertThat(writes.patch("/v1/api-keys/" + key.get("id").asText()).bearer(jwt)
                .json(Map.of("status", "INACTIVE")).send().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> "INACTIVE".equals(verify(platform, secret, null).get("code").asText()));
        assertThat(writes.delete("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> "REVOKED".equals(verify(platform, secret, null).get("code").asText()));
        assertThat(reads.post("/v1/keys/verify").bearer(platform).json(Map.of("permission", "x")).send().status())
                .isEqualTo(400);
    }

    private static JsonNode verify(String token, String secret, String permission) {
        Map<String, Object> body = permission == null ? Map.of("key", secret) : Map.of("key", secret, "permission", permission);
        HttpApi.Reply reply = reads.post("/v1/keys/verify").bearer(token).json(body).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("data");
    }

    private static String platformToken() {
        return TestJwts.forAccount("acct_platform").permissions("platform:api:key:verify").sign();
    }
}
