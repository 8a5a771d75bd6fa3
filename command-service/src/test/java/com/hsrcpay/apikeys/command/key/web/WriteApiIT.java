package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The write endpoints over HTTP against the real event store. */
class WriteApiIT extends WriteApiTestBase {

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Value("${spring.datasource.username}")
    String databaseUser;

    @Value("${spring.datasource.password}")
    String databasePassword;

    @Test
    void createAnswers201WithThePlaintextOnceAndNoTableHoldsIt() {
        String account = newAccount();
        HttpApi.Reply reply = create(account, Map.of("name", "Backend", "permissions", READ_CREATE,
                "metadata", Map.of("team", "payments")));

        assertThat(reply.status()).isEqualTo(201);
        JsonNode data = reply.json().get("data");
        String plaintext = data.get("key").asText();
        assertThat(plaintext).startsWith("sk_live_");
        assertThat(SecretFormat.parse(plaintext)).isPresent();
        assertThat(data.get("object").asText()).isEqualTo("api_key");
        assertThat(data.get("account_id").asText()).isEqualTo(account);
        assertThat(data.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(data.get("managed").asBoolean()).isFalse();
        assertThat(data.get("deleted").asBoolean()).isFalse();
        assertThat(data.get("version").asLong()).isEqualTo(1);
        assertThat(reply.header("ETag")).isEqualTo("\"1\"");
        assertThat(reply.header("Location")).isEqualTo("/v1/api-keys/" + data.get("id").asText());
        assertThat(reply.header("X-Consistency-Token")).isEqualTo(data.get("id").asText() + ":1");
        assertThat(reply.json().get("success").asBoolean()).isTrue();

        assertThat(tablesContaining(plaintext)).as("tables holding the plaintext").isEmpty();
        String randomPart = plaintext.substring("sk_live_".length());
        assertThat(tablesContaining(randomPart)).as("tables holding the secret's random part").isEmpty();
        // ...while the hash the platform keeps is there, so the scan does look inside the event payloads
        assertThat(tablesContaining(SecretFormat.sha256(plaintext))).contains("event_store.domain_event_entry.payload");
    }

    @Test
    void sandboxCallersGetTestKeys() {
        String account = newAccount();
        HttpApi.Reply reply = api().post("/v1/api-keys/?account_id=" + account)
                .bearer(TestJwts.forAccount(account).mode("test").sign())
                .json(Map.of("name", "Sandbox", "permissions", READ_CREATE, "type", "PUBLISHABLE")).send();

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().at("/data/key").asText()).startsWith("pk_test_");
    }

    @Test
    void regenerateOfACustomKeyIs409AndChangesNothing() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        HttpApi.Reply reply = api().post("/v1/api-keys/" + id + "/regenerate").bearer(tokenFor(account)).send();

        assertErrorEnvelope(reply, 409);
        assertThat(reply.json().at("/error/details/reason").asText()).isEqualTo("key_not_managed");
        assertThat(eventCount(id)).isEqualTo(1);
    }

    @Test
    void regenerateOfAManagedKeyIssuesANewSecretOnce() {
        String account = newAccount();
        JsonNode key = createKey(account, true);
        String id = key.get("id").asText();

        HttpApi.Reply reply = api().post("/v1/api-keys/" + id + "/regenerate").bearer(tokenFor(account))
                .json(Map.of("grace_period_seconds", 60)).send();

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        String rotated = reply.json().at("/data/key").asText();
        assertThat(rotated).startsWith("sk_live_").isNotEqualTo(key.get("key").asText());
        assertThat(reply.json().at("/data/version").asLong()).isEqualTo(2);
        assertThat(tablesContaining(rotated)).isEmpty();
    }

    @Test
    void patchWithAStaleIfMatchIs412AndChangesNothing() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();
        HttpApi.Reply first = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account)).header("If-Match", "\"1\"")
                .json(Map.of("name", "First")).send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.header("ETag")).isEqualTo("\"2\"");

        HttpApi.Reply stale = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account)).header("If-Match", "\"1\"")
                .json(Map.of("name", "Second")).send();

        assertErrorEnvelope(stale, 412);
        assertThat(eventCount(id)).isEqualTo(2);
    }

    @Test
    void twentyConcurrentConditionalPatchesApplyExactlyOneAndRefuseTheRest() throws Exception {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        List<Integer> statuses = concurrently(20, i -> api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .header("If-Match", "\"1\"").json(Map.of("name", "Name " + i)).send().status());

        long applied = statuses.stream().filter(s -> s == 200).count();
        assertThat(applied).isEqualTo(1);
        assertThat(statuses).allMatch(s -> s == 200 || s == 412);
        assertThat(currentVersion(account, id)).isEqualTo(1 + applied);
        assertThat(eventCount(id)).isEqualTo(1 + applied);
    }

    @Test
    void twentyConcurrentUnconditionalPatchesLoseNoUpdate() throws Exception {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        List<Integer> statuses = concurrently(20, i -> api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .json(Map.of("metadata", Map.of("writer", i))).send().status());

        long applied = statuses.stream().filter(s -> s == 200).count();
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        assertThat(applied).isPositive();
        assertThat(currentVersion(account, id)).isEqualTo(1 + applied);
        assertThat(eventCount(id)).isEqualTo(1 + applied);
    }

    @Test
    void tenConcurrentCreatesWithOneIdempotencyKeyCreateOneKey() throws Exception {
        String account = newAccount();
        Map<String, Object> body = Map.of("name", "Once", "permissions", READ_CREATE);

        List<HttpApi.Reply> replies = concurrently(10, i -> api().post("/v1/api-keys/?account_id=" + account)
                .bearer(tokenFor(account)).header("Idempotency-Key", "create-once-" + account).json(body).send());

        assertThat(replies).allMatch(r -> r.status() == 201, "all 201");
        Set<String> ids = new HashSet<>();
        replies.forEach(r -> ids.add(r.json().at("/data/id").asText()));
        assertThat(ids).hasSize(1);
        long withPlaintext = replies.stream()
                .filter(r -> SecretFormat.parse(r.json().at("/data/key").asText()).isPresent()).count();
        assertThat(withPlaintext).as("the secret is handed out exactly once").isEqualTo(1);
        assertThat(replies.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count()).isEqualTo(9);
        assertThat(eventCount(ids.iterator().next())).isEqualTo(1);
        assertThat(jdbc.queryForObject("""
                SELECT count(DISTINCT aggregate_identifier) FROM event_store.domain_event_entry
                WHERE convert_from(payload, 'UTF8')::jsonb ->> 'accountId' = ?""", Long.class, account)).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIs409() {
        String account = newAccount();
        HttpApi.Reply first = api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account))
                .header("Idempotency-Key", "k1").json(Map.of("name", "A", "permissions", READ_CREATE)).send();
        assertThat(first.status()).isEqualTo(201);
        long events = eventCount();

        HttpApi.Reply second = api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account))
                .header("Idempotency-Key", "k1").json(Map.of("name", "B", "permissions", READ_CREATE)).send();

        assertErrorEnvelope(second, 409);
        assertThat(second.json().at("/error/details/reason").asText()).isEqualTo("idempotency_key_reused");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void anIdempotentRetryAfterARestartReturnsTheSameKey() {
        String account = newAccount();
        Map<String, Object> body = Map.of("name", "Durable", "permissions", READ_CREATE);
        HttpApi.Reply first = api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account))
                .header("Idempotency-Key", "restart-1").json(body).send();
        assertThat(first.status()).isEqualTo(201);

        // a second, freshly started service on the same database stands in for the restarted one
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(CommandServiceApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + databaseUrl,
                        "--spring.datasource.username=" + databaseUser, "--spring.datasource.password=" + databasePassword,
                        "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET)) {
            int port = ((WebServerApplicationContext) restarted).getWebServer().getPort();
            HttpApi.Reply retry = HttpApi.onPort(port).post("/v1/api-keys/?account_id=" + account)
                    .bearer(tokenFor(account)).header("Idempotency-Key", "restart-1").json(body).send();

            assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
            assertThat(retry.json().at("/data/id").asText()).isEqualTo(first.json().at("/data/id").asText());
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(retry.json().at("/data/key").asText()).isEqualTo(SecretFormat.hint(first.json().at("/data/key").asText()));
        }
    }

    @Test
    void softDeleteMarksTheKeyDeletedAndRevokedAndASecondDeleteIs404() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        HttpApi.Reply deleted = api().delete("/v1/api-keys/" + id).bearer(tokenFor(account)).send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().at("/data/deleted").asBoolean()).isTrue();
        assertThat(deleted.json().at("/data/status").asText()).isEqualTo("REVOKED");

        assertErrorEnvelope(api().delete("/v1/api-keys/" + id).bearer(tokenFor(account)).send(), 404);
        assertErrorEnvelope(api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .json(Map.of("name", "x")).send(), 409);
    }

    @Test
    void applicationRevokeAnswersEmptyObjectAndOnlyForTheApplicationsKey() {
        String account = newAccount();
        String app = "123e4567-e89b-12d3-a456-426614174000";
        HttpApi.Reply created = create(account, Map.of("name", "App key", "permissions", READ_CREATE,
                "application_id", app));
        String id = created.json().at("/data/id").asText();
        String other = createKey(account, false).get("id").asText();

        HttpApi.Reply wrongApp = api().delete("/api/v1/applications/" + app + "/api-keys/" + other)
                .bearer(tokenFor(account)).send();
        assertThat(wrongApp.status()).isEqualTo(404);
        assertThat(wrongApp.json().get("error").asText()).isEqualTo("Not Found");
        assertThat(wrongApp.json().get("code").asInt()).isEqualTo(404);

        HttpApi.Reply revoked = api().delete("/api/v1/applications/" + app + "/api-keys/" + id)
                .bearer(tokenFor(account)).send();
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).isEqualTo("{}");
        assertThat(eventCount(id)).isEqualTo(2);
        assertThat(eventCount(other)).isEqualTo(1);
    }

    private long currentVersion(String account, String id) {
        // a no-op conditional patch with an impossible version answers 412 with the current version
        HttpApi.Reply reply = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .header("If-Match", "\"999999\"").json(Map.of("name", "probe")).send();
        assertThat(reply.status()).isEqualTo(412);
        return reply.json().at("/error/details/current_version").asLong();
    }

    /** Table columns (schema.table.column) in which {@code needle} occurs, bytea columns decoded. */
    private List<String> tablesContaining(String needle) {
        List<String> hits = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema NOT IN ('pg_catalog', 'information_schema')""");
        for (Map<String, Object> c : columns) {
            String qualified = c.get("table_schema") + "." + c.get("table_name");
            String column = "\"" + c.get("column_name") + "\"";
            String condition = "bytea".equals(c.get("data_type"))
                    ? "position(convert_to(?, 'UTF8') in " + column + ") > 0"
                    : column + "::text LIKE '%' || ? || '%'";
            Long count = jdbc.queryForObject("SELECT count(*) FROM " + qualified + " WHERE " + condition, Long.class,
                    needle);
            if (count != null && count > 0) {
                hits.add(qualified + "." + c.get("column_name"));
            }
        }
        return hits;
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    static <T> List<T> concurrently(int count, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
