package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 1, as the attacker did it over HTTP: a JWT holding only {@code account:api:key:create} created a key
 * with {@code {"*":["*"],"platform:api:key":["verify"]}}, which then verified other accounts' secrets; a create-only
 * secret key minted a {@code *} key the same way. Both services, real database and broker.
 */
class PermissionEscalationIT extends BothServicesTestBase {

    private static final Map<String, List<String>> EVERYTHING_AND_PLATFORM =
            Map.of("*", List.of("*"), "platform:api:key", List.of("verify"));

    @Test
    void aCreateOnlyJwtCannotMintAStrongerKey() {
        String account = account();
        String createOnly = TestJwts.forAccount(account).permissions("account:api:key:create").sign();
        long before = eventCount(account);

        for (Map<String, List<String>> attempt : List.of(EVERYTHING_AND_PLATFORM, Map.of("*", List.of("*")),
                Map.of("account:api:key", List.of("*")), Map.of("account:api:key", List.of("create", "read")))) {
            HttpApi.Reply refused = create(account, createOnly, attempt);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("permission_not_grantable");
            assertThat(refused.json().at("/error/details/field").asText()).isEqualTo("permissions");
            assertThat(refused.json().at("/error/details/not_grantable").isObject()).isTrue();
        }
        assertThat(create(account, createOnly, Map.of("account:api:key", List.of("create"))).status())
                .as("what it holds it can grant").isEqualTo(201);
        assertThat(eventCount(account)).as("only the grantable create wrote an event").isEqualTo(before + 1);
    }

    @Test
    void aCreateOnlySecretKeyCannotMintAWildcardKey() {
        String account = account();
        String owner = TestJwts.forAccount(account).sign();
        String createOnlyKey = created(create(account, owner, Map.of("account:api:key", List.of("create"))))
                .get("key").asText();

        HttpApi.Reply refused = create(account, createOnlyKey, Map.of("*", List.of("*")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("permission_not_grantable");
        HttpApi.Reply child = create(account, createOnlyKey, Map.of("account:api:key", List.of("create")));
        assertThat(child.status()).as("a key passes on at most its own map").isEqualTo(201);
    }

    @Test
    void evenAnAllPowerfulJwtCannotGiveAKeyThePlatformNamespaceAndAWildcardKeyNeverVerifiesForThePlatform() {
        String victim = account();
        String victimSecret = created(create(victim, TestJwts.forAccount(victim).sign(),
                Map.of("account:api:key", List.of("read")))).get("key").asText();

        String attacker = account();
        String almighty = TestJwts.forAccount(attacker).permissions("*").sign();
        HttpApi.Reply reserved = create(attacker, almighty, EVERYTHING_AND_PLATFORM);
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(403);
        assertThat(reserved.json().at("/error/details/not_grantable").toString()).contains("platform:api:key");

        // a * key is grantable by a * holder, but * never reaches the reserved namespace
        String wildcardKey = created(create(attacker, almighty, Map.of("*", List.of("*")))).get("key").asText();
        HttpApi.Reply verified = reads.post("/v1/keys/verify").bearer(wildcardKey).json(Map.of("key", victimSecret))
                .send();
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().at("/data/valid").asBoolean()).isFalse();
        assertThat(verified.json().at("/data/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(verified.json().at("/data/key_id").isMissingNode() || verified.json().at("/data/key_id").isNull())
                .as("nothing about the other account's key").isTrue();
        assertThat(reads.get("/actuator/prometheus").bearer(wildcardKey).send().status())
                .as("nor platform:metrics:read").isIn(401, 403);
    }

    @Test
    void verifyNeverTellsAnotherAccountsDeadKeyFromAMissingOne() {
        String owner = account();
        String ownerJwt = TestJwts.forAccount(owner).sign();
        JsonNode key = created(create(owner, ownerJwt, Map.of("account:api:key", List.of("read"))));
        assertThat(writes.delete("/v1/api-keys/" + key.get("id").asText()).bearer(ownerJwt).send().status())
                .isEqualTo(200);
        String secret = key.get("key").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                "REVOKED".equals(verify(ownerJwt, secret).at("/data/code").asText()));

        String stranger = account();
        JsonNode answer = verify(TestJwts.forAccount(stranger).sign(), secret);
        assertThat(answer.at("/data/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(answer.at("/data/valid").asBoolean()).isFalse();
    }

    private static JsonNode verify(String credential, String secret) {
        return reads.post("/v1/keys/verify").bearer(credential).json(Map.of("key", secret)).send().json();
    }

    private static HttpApi.Reply create(String account, String credential, Map<String, List<String>> permissions) {
        return writes.post("/v1/api-keys/?account_id=" + account).bearer(credential)
                .json(Map.of("name", "Attempt", "permissions", permissions)).send();
    }

    /** The created key, once the read side knows it (read-your-writes): usable as a credential from then on. */
    private static JsonNode created(HttpApi.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode key = reply.json().get("data");
        HttpApi.Reply read = reads.get("/v1/api-keys/" + key.get("id").asText())
                .bearer(TestJwts.forAccount(key.get("account_id").asText()).sign())
                .header("X-Consistency-Token", reply.header("X-Consistency-Token")).send();
        assertThat(read.header("X-Read-Consistency")).isEqualTo("fresh");
        return key;
    }

    /** The account's events (the system is shared: other classes' deadlines may append meanwhile). */
    private static long eventCount(String account) {
        // as text: another class of the shared system stores a row whose payload is no JSON on purpose
        return system.jdbc().queryForObject("SELECT count(*) FROM event_store.domain_event_entry"
                + " WHERE position(? in convert_from(payload, 'UTF8')) > 0", Long.class,
                "\"accountId\":\"" + account + "\"");
    }
}
