package com.hsrcpay.apikeys.query.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.FakeGitHub;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leaked keys reported by GitHub's secret scanning and by anyone, against the real services, PostgreSQL and Kafka.
 * GitHub is played for real: a P-256 key pair, its public keys document on a local HTTP server, reports signed over
 * the raw body as GitHub signs them.
 */
class ExposureReportsIT {

    static final String GITHUB = "/v1/secret-scanning/github";
    static final String REPORT = "/v1/keys/report-exposure";
    static final String TYPE = "hsrcpay_api_key";
    static final String FOUND_AT = "https://github.com/octocat/Hello-World/blob/12345600b9cb/config.env";
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final ObjectMapper JSON = new ObjectMapper();

    static FakeGitHub github;
    static FakeGitHub.SigningKey signing;
    static SystemUnderTest system;
    static HttpApi writes;
    static HttpApi reads;

    @BeforeAll
    static void start() {
        github = new FakeGitHub();
        signing = github.publish(FakeGitHub.newSigningKey());
        system = SystemUnderTest.onFreshDatabase();
        writes = SystemUnderTest.api(system.startCommandService(
                "--kms.exposure.github.public-keys-url=" + github.publicKeysUrl(),
                "--kms.exposure.reports.per-address-per-minute=10",
                // short, so that this test need not wait a minute to see a refetch; the throttle has its own test
                "--kms.exposure.github.refetch-interval=300ms",
                // the tests speak for many client addresses through X-Forwarded-For
                "--kms.http.trusted-proxies=127.0.0.1/32,::1/128"));
        reads = SystemUnderTest.api(system.startQueryService());
    }

    @AfterAll
    static void stop() {
        system.close();
        github.close();
    }

    @Test
    void aSignedReportRevokesAWorkingKeyOnceAndTellsOursFromOthers() throws Exception {
        String account = account();
        Created key = create(account, Map.of("name", "Leaked", "permissions", READ));
        awaitCode(account, key.secret(), "VALID");
        String notOurs = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom()).plaintext();

        HttpApi.Reply reply = signed(FakeGitHub.report(TYPE, FOUND_AT, key.secret(), notOurs, "sk_live_nonsense"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode feedback = reply.json();
        assertThat(feedback).hasSize(3);
        assertThat(feedback.get(0).get("token_hash").asText()).isEqualTo(SecretFormat.sha256(key.secret()));
        assertThat(feedback.get(0).get("token_type").asText()).isEqualTo(TYPE);
        assertThat(feedback.get(0).get("label").asText()).isEqualTo("true_positive");
        assertThat(feedback.get(1).get("token_hash").asText()).isEqualTo(SecretFormat.sha256(notOurs));
        assertThat(feedback.get(1).get("label").asText()).isEqualTo("false_positive");
        assertThat(feedback.get(2).get("label").asText()).isEqualTo("false_positive");
        assertThat(reply.body()).doesNotContain(key.secret());

        awaitCode(account, key.secret(), "REVOKED");
        JsonNode revocation = revocation(key.id(), 1).get(0);
        assertThat(revocation.get("reason").asText()).isEqualTo("exposed");
        assertThat(revocation.get("key_revoked").asBoolean()).isTrue();
        assertThat(revocation.get("secret_sha256").asText()).isEqualTo(SecretFormat.sha256(key.secret()));
        JsonNode read = reads.get("/v1/api-keys/" + key.id()).bearer(token(account)).send().json().get("data");
        assertThat(read.get("status").asText()).isEqualTo("REVOKED");
        assertThat(read.get("deleted").asBoolean()).isFalse();
        JsonNode exposure = history(account, key.id()).get(1);
        assertThat(exposure.get("type").asText()).isEqualTo("KeyExposed");
        assertThat(exposure.at("/changes/exposure/after/source").asText()).isEqualTo("github");
        assertThat(exposure.at("/changes/exposure/after/url").asText()).isEqualTo(FOUND_AT);
        assertThat(exposure.at("/changes/status/after").asText()).isEqualTo("REVOKED");
        assertThat(exposure.at("/actor/id").asText()).isEqualTo("github-secret-scanning");
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyEventHeaders.TOPIC, r -> key.id().equals(r.key()), 2, Duration.ofSeconds(30));
        assertThat(events).extracting(r -> KafkaRecords.header(r, KeyEventHeaders.EVENT_TYPE))
                .containsExactly("KeyCreated", "KeyExposed");
        assertThat(events.get(1).value()).doesNotContain(key.secret()).contains(FOUND_AT);

        // GitHub sends it again: the same answer, and no second event
        HttpApi.Reply again = signed(FakeGitHub.report(TYPE, FOUND_AT, key.secret()));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get(0).get("label").asText()).isEqualTo("true_positive");
        Thread.sleep(500);
        assertThat(history(account, key.id())).hasSize(2);
        assertThat(revocation(key.id(), 1)).hasSize(1);
    }

    @Test
    void forgedUnsignedAndWronglySignedReportsAre401AndChangeNothing() {
        String account = account();
        Created key = create(account, Map.of("name", "Targeted", "permissions", READ));
        awaitCode(account, key.secret(), "VALID");
        String body = FakeGitHub.report(TYPE, FOUND_AT, key.secret());
        FakeGitHub.SigningKey impostor = FakeGitHub.newSigningKey();

        List<HttpApi.Reply> refused = List.of(
                writes.post(GITHUB).json(body).send(),
                writes.post(GITHUB).header("Github-Public-Key-Identifier", signing.identifier()).json(body).send(),
                gitHubCall(body, signing.identifier(), impostor.sign(body)).send(),
                gitHubCall(body, impostor.identifier(), impostor.sign(body)).send(),
                gitHubCall(body, signing.identifier(), "not base64 at all!").send(),
                gitHubCall(body, signing.identifier(), "MEUCIQ==").send(),
                // signed, then changed on the way
                gitHubCall(body.replace(FOUND_AT, "https://example.com/x"), signing.identifier(), signing.sign(body))
                        .send());

        for (HttpApi.Reply reply : refused) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
            assertThat(reply.json().get("success").asBoolean()).isFalse();
            assertThat(reply.json().at("/error/details/reason").asText()).isEqualTo("invalid_signature");
            assertThat(reply.body()).doesNotContain(key.secret());
        }
        assertThat(code(account, key.secret())).isEqualTo("VALID");
        assertThat(history(account, key.id())).hasSize(1);
    }

    @Test
    void anUnknownKeyIdentifierRefetchesThePublicKeysAndAnOlderKeyStillVerifies() throws Exception {
        String account = account();
        Created first = create(account, Map.of("name", "First", "permissions", READ));
        Created second = create(account, Map.of("name", "Second", "permissions", READ));
        awaitCode(account, first.secret(), "VALID");
        awaitCode(account, second.secret(), "VALID");
        // the document is fetched at the first report at the latest: make sure this test starts after that
        signed(FakeGitHub.report(TYPE, FOUND_AT, "warm-up"));
        int fetchedBefore = github.fetches();

        // GitHub rotates: a new current key; the old one stays listed, no longer current
        FakeGitHub.SigningKey rotated = github.publish(FakeGitHub.newSigningKey());
        Thread.sleep(400); // past the refetch interval of an unknown identifier another test may have sent
        String body = FakeGitHub.report(TYPE, FOUND_AT, first.secret());
        HttpApi.Reply withNewKey = gitHubCall(body, rotated.identifier(), rotated.sign(body)).send();

        assertThat(withNewKey.status()).as(withNewKey.toString()).isEqualTo(200);
        assertThat(github.fetches()).as("the unknown identifier fetched the document again").isGreaterThan(fetchedBefore);
        awaitCode(account, first.secret(), "REVOKED");
        HttpApi.Reply withOldKey = signed(FakeGitHub.report(TYPE, FOUND_AT, second.secret()));
        assertThat(withOldKey.status()).as("is_current false still verifies").isEqualTo(200);
        awaitCode(account, second.secret(), "REVOKED");
    }

    @Test
    void aPreviousSecretReportedDuringItsGraceStopsAtOnceAndTheKeyKeepsItsNewSecret() throws Exception {
        String account = account();
        Created key = create(account, Map.of("name", "Rotating", "permissions", READ, "managed", true));
        HttpApi.Reply rotated = writes.post("/v1/api-keys/" + key.id() + "/regenerate").bearer(token(account))
                .json(Map.of("grace_period_seconds", 3600)).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String current = rotated.json().at("/data/key").asText();
        awaitCode(account, current, "VALID");
        awaitCode(account, key.secret(), "VALID");

        HttpApi.Reply reply = signed(FakeGitHub.report(TYPE, FOUND_AT, key.secret()));

        assertThat(reply.json().get(0).get("label").asText()).isEqualTo("true_positive");
        awaitCode(account, key.secret(), "REVOKED");
        assertThat(code(account, current)).isEqualTo("VALID");
        JsonNode revocation = revocation(key.id(), 1).get(0);
        assertThat(revocation.get("reason").asText()).isEqualTo("exposed");
        assertThat(revocation.get("key_revoked").asBoolean()).isFalse();
        assertThat(revocation.get("secret_sha256").asText()).isEqualTo(SecretFormat.sha256(key.secret()));
        JsonNode entries = history(account, key.id());
        assertThat(entries).hasSize(3);
        assertThat(entries.get(2).get("type").asText()).isEqualTo("SecretRetired");
        assertThat(reads.get("/v1/api-keys/" + key.id()).bearer(token(account)).send().json().at("/data/status")
                .asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aPublishableKeyIsOursAndStaysAsItIs() throws Exception {
        String account = account();
        Created key = create(account, Map.of("name", "Checkout", "permissions", READ, "type", "PUBLISHABLE"));
        awaitCode(account, key.secret(), "VALID");

        HttpApi.Reply reply = signed(FakeGitHub.report(TYPE, FOUND_AT, key.secret()));

        assertThat(reply.json().get(0).get("label").asText()).isEqualTo("true_positive");
        Thread.sleep(500);
        assertThat(code(account, key.secret())).isEqualTo("VALID");
        assertThat(history(account, key.id())).hasSize(1);
    }

    @Test
    void sandboxAndInactiveKeysAreRevokedToo() {
        String account = account();
        String sandboxToken = TestJwts.forAccount(account).mode("test").sign();
        HttpApi.Reply sandboxReply = writes.post("/v1/api-keys/?account_id=" + account).bearer(sandboxToken)
                .json(Map.of("name", "Sandbox", "permissions", READ)).send();
        Created sandbox = new Created(sandboxReply.json().at("/data/id").asText(),
                sandboxReply.json().at("/data/key").asText());
        Created inactive = create(account, Map.of("name", "Paused", "permissions", READ));
        assertThat(writes.patch("/v1/api-keys/" + inactive.id()).bearer(token(account))
                .json(Map.of("status", "INACTIVE")).send().status()).isEqualTo(200);
        awaitCode(account, inactive.secret(), "INACTIVE");
        await().atMost(Duration.ofSeconds(5)).until(() -> "VALID".equals(verify(sandboxToken, sandbox.secret())));

        HttpApi.Reply reply = signed(FakeGitHub.report(TYPE, FOUND_AT, sandbox.secret(), inactive.secret()));

        assertThat(reply.json().findValuesAsText("label")).containsExactly("true_positive", "true_positive");
        awaitCode(account, inactive.secret(), "REVOKED");
        await().atMost(Duration.ofSeconds(5)).until(() -> "REVOKED".equals(verify(sandboxToken, sandbox.secret())));
        assertThat(revocation(sandbox.id(), 1).get(0).get("mode").asText()).isEqualTo("test");
    }

    @Test
    void aPublicReportAnswersTheSameForRealAndFakeKeysAndRevokesTheRealOne() {
        String account = account();
        Created key = create(account, Map.of("name", "Pasted", "permissions", READ));
        awaitCode(account, key.secret(), "VALID");
        String fake = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom()).plaintext();

        HttpApi.Reply real = publicReport("198.51.100.1",
                Map.of("keys", List.of(key.secret(), fake, "garbage"), "source_url", "https://paste.example/abc"));
        HttpApi.Reply fakeOnly = publicReport("198.51.100.1", Map.of("keys", List.of(fake)));

        assertThat(real.status()).as(real.toString()).isEqualTo(202);
        assertThat(real.json().at("/data/received").asInt()).isEqualTo(3);
        assertThat(fakeOnly.status()).isEqualTo(202);
        assertThat(fakeOnly.json().at("/data/received").asInt()).isEqualTo(1);
        assertThat(fakeOnly.json().get("data").fieldNames()).toIterable()
                .containsExactlyElementsOf(() -> real.json().get("data").fieldNames());
        awaitCode(account, key.secret(), "REVOKED");
        JsonNode exposure = history(account, key.id()).get(1);
        assertThat(exposure.at("/changes/exposure/after/source").asText()).isEqualTo("public_report");
        assertThat(exposure.at("/changes/exposure/after/url").asText()).isEqualTo("https://paste.example/abc");
        assertThat(revocation(key.id(), 1).get(0).get("reason").asText()).isEqualTo("exposed");
    }

    @Test
    void badPublicReportsAre400() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add("sk_live_" + i);
        }
        Map<Object, String> fieldOf = Map.of(
                Map.of("keys", List.of()), "keys",
                Map.of("keys", tooMany), "keys",
                "{\"keys\":[1]}", "keys.[0]",
                "{\"keys\":[\"sk_live_x\"],\"extra\":true}", "extra",
                Map.of("keys", List.of("sk_live_x"), "source_url", "http://paste.example/abc"), "source_url",
                Map.of("keys", List.of("sk_live_x"), "source_url", "https://paste.example/" + "a".repeat(2000)),
                "source_url",
                "{}", "keys",
                "{\"keys\":\"sk_live_x\"}", "keys");
        int i = 0;
        for (Map.Entry<Object, String> bad : fieldOf.entrySet()) {
            HttpApi.Reply reply = publicReport("198.51.100." + (50 + i++), bad.getKey());
            assertThat(reply.status()).as(bad.getKey() + " -> " + reply).isEqualTo(400);
            assertThat(reply.json().at("/error/details/field").asText()).as(reply.toString()).isEqualTo(bad.getValue());
        }
    }

    @Test
    void eachClientAddressHasTenReportsAMinute() {
        for (int i = 0; i < 10; i++) {
            HttpApi.Reply reply = publicReport("203.0.113.9", Map.of("keys", List.of("sk_live_" + i)));
            assertThat(reply.status()).as("report %d: %s", i, reply).isEqualTo(202);
        }

        HttpApi.Reply eleventh = publicReport("203.0.113.9", Map.of("keys", List.of("sk_live_x")));

        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.json().at("/error/details/reason").asText()).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(eleventh.header("Retry-After"))).isBetween(1, 60);
        assertThat(publicReport("203.0.113.10", Map.of("keys", List.of("sk_live_x"))).status())
                .as("another address").isEqualTo(202);
    }

    // --- helpers

    record Created(String id, String secret) {
    }

    static String account() {
        return "acct_" + Long.toHexString(System.nanoTime());
    }

    static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    static Created create(String account, Map<String, Object> body) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account)).json(body)
                .send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return new Created(reply.json().at("/data/id").asText(), reply.json().at("/data/key").asText());
    }

    static HttpApi.Call gitHubCall(String body, String identifier, String signature) {
        return writes.post(GITHUB).header("Github-Public-Key-Identifier", identifier)
                .header("Github-Public-Key-Signature", signature).json(body);
    }

    static HttpApi.Reply signed(String body) {
        return gitHubCall(body, signing.identifier(), signing.sign(body)).send();
    }

    static HttpApi.Reply publicReport(String clientAddress, Object body) {
        return writes.post(REPORT).header("X-Forwarded-For", clientAddress).json(body).send();
    }

    static String verify(String token, String secret) {
        return reads.post("/v1/keys/verify").bearer(token).json(Map.of("key", secret)).send().json()
                .at("/data/code").asText();
    }

    static String code(String account, String secret) {
        return verify(token(account), secret);
    }

    static void awaitCode(String account, String secret, String code) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> code.equals(code(account, secret)));
    }

    static JsonNode history(String account, String keyId) {
        HttpApi.Reply reply = reads.get("/v1/api-keys/" + keyId + "/history").bearer(token(account)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("data");
    }

    static List<JsonNode> revocation(String keyId, int expected) {
        List<JsonNode> values = new ArrayList<>();
        // each revocation once, though it may come from the publisher and the command side's prompt send
        for (ConsumerRecord<String, String> record : KafkaRecords.firstOfEachEvent(KafkaRecords.awaitRecords(
                TestKafka.bootstrapServers(), KeyRevocation.TOPIC, r -> keyId.equals(r.key()), expected,
                Duration.ofSeconds(30)))) {
            try {
                values.add(JSON.readTree(record.value()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }
}
