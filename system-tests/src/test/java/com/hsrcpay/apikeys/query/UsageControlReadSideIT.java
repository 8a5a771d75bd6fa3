package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's rate limits and credits as the read side shows them (real command and query services, PostgreSQL,
 * Kafka): the key list and the key, read-your-writes included, the history naming what each event changed, and
 * {@code as_of} before a change. Every answer is checked against the published OpenAPI document.
 */
class UsageControlReadSideIT extends BothServicesTestBase {

    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    private static final Map<String, Object> PER_MINUTE = Map.of("name", "per_minute", "limit", 600,
            "duration_ms", 60_000);

    private static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    /** A read of the key that waits for the write behind {@code consistencyToken}. */
    private static JsonNode read(String account, String id, String consistencyToken) {
        HttpApi.Reply reply = reads.get("/v1/api-keys/" + id).bearer(token(account))
                .header("X-Consistency-Token", consistencyToken).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("data");
    }

    @Test
    void limitsAndCreditsAreReadAsWrittenAndTheirHistoryNamesEachChange() {
        String account = account();
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "Metered", "permissions", READ, "ratelimits", List.of(PER_MINUTE),
                        "credits", Map.of("remaining", 100, "refill", Map.of("interval", "daily", "amount", 100))))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();

        JsonNode key = read(account, id, created.header("X-Consistency-Token"));
        assertThat(key.get("ratelimits").toString())
                .isEqualTo("[{\"name\":\"per_minute\",\"limit\":600,\"duration_ms\":60000}]");
        assertThat(key.at("/credits/remaining").asLong()).isEqualTo(100);
        assertThat(key.at("/credits/refill/interval").asText()).isEqualTo("daily");
        assertThat(key.at("/credits/refill/refill_day").isNull()).isTrue();
        String createdAt = key.get("updated_at").asText();

        HttpApi.Reply patched = writes.patch("/v1/api-keys/" + id).bearer(token(account))
                .json(Map.of("ratelimits", List.of())).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        HttpApi.Reply adjusted = writes.post("/v1/api-keys/" + id + "/credits").bearer(token(account))
                .json(Map.of("operation", "decrement", "amount", 30)).send();
        assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(200);

        JsonNode now = read(account, id, adjusted.header("X-Consistency-Token"));
        assertThat(now.get("ratelimits")).isEmpty();
        assertThat(now.at("/credits/remaining").asLong()).isEqualTo(70);
        assertThat(now.get("version").asLong()).isEqualTo(3);
        HttpApi.Reply listed = reads.get("/v1/api-keys/?account_id=" + account).bearer(token(account)).send();
        assertThat(listed.json().at("/data/0/credits/remaining").asLong()).isEqualTo(70);

        HttpApi.Reply history = reads.get("/v1/api-keys/" + id + "/history").bearer(token(account)).send();
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        history.json().get("data").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("KeyCreated", "KeyUpdated", "CreditsAdjusted");
        JsonNode update = history.json().at("/data/1/changes");
        assertThat(update.at("/ratelimits/before/0/name").asText()).isEqualTo("per_minute");
        assertThat(update.at("/ratelimits/after")).isEmpty();
        assertThat(update.size()).as("only the limits changed").isEqualTo(1);
        JsonNode adjustment = history.json().at("/data/2/changes/credits");
        assertThat(adjustment.at("/before/remaining").asLong()).isEqualTo(100);
        assertThat(adjustment.at("/after/remaining").asLong()).isEqualTo(70);

        HttpApi.Reply then = reads.get("/v1/api-keys/" + id + "?as_of=" + createdAt).bearer(token(account)).send();
        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(then.json().at("/data/ratelimits/0/name").asText()).isEqualTo("per_minute");
        assertThat(then.json().at("/data/credits/remaining").asLong()).isEqualTo(100);

        HttpApi.Reply chain = reads.get("/v1/api-keys/" + id + "/history/verify").bearer(token(account)).send();
        assertThat(chain.json().at("/data/intact").asBoolean()).as(chain.toString()).isTrue();
        assertThat(chain.json().at("/data/events").asLong()).isEqualTo(3);
    }
}
