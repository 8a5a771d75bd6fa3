package com.hsrcpay.apikeys.query.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.query.BothServicesTestBase;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Usage control enforced in {@code POST /v1/keys/verify} on the real services, PostgreSQL and Kafka: credits are
 * spent and never overspent, rate limits refuse, a refused verification consumes nothing, costs and limit names are
 * validated, and the credits endpoint's changes reach verification. Every answer is checked against the published
 * OpenAPI document.
 */
class UsageControlVerifyIT extends BothServicesTestBase {

    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    private record Key(String account, String id, String secret) {
    }

    private static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    /** A key with these usage fields, projected (read-your-writes) before any verification spends. */
    private static Key key(Object ratelimits, Object credits) {
        String account = account();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Metered");
        body.put("permissions", READ);
        body.put("ratelimits", ratelimits);
        body.put("credits", credits);
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account)).json(body)
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        HttpApi.Reply read = reads.get("/v1/api-keys/" + id).bearer(token(account))
                .header("X-Consistency-Token", created.header("X-Consistency-Token")).send();
        assertThat(read.header("X-Read-Consistency")).isEqualTo("fresh");
        return new Key(account, id, created.json().at("/data/key").asText());
    }

    private static HttpApi.Reply verify(Key key, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("key", key.secret());
        return reads.post("/v1/keys/verify").bearer(token(key.account())).json(body).send();
    }

    private static JsonNode verified(Key key, Map<String, Object> extra) {
        HttpApi.Reply reply = verify(key, extra);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("data");
    }

    @Test
    void creditsAreSpentOneByOneAndAnExhaustedKeyIsUsageExceeded() {
        Key key = key(List.of(), Map.of("remaining", 3));
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode answer = verified(key, Map.of());
            assertThat(answer.get("code").asText()).isEqualTo("VALID");
            remaining.add(answer.at("/credits/remaining").asLong());
        }
        assertThat(remaining).containsExactly(2L, 1L, 0L);

        JsonNode refused = verified(key, Map.of());
        assertThat(refused.get("valid").asBoolean()).isFalse();
        assertThat(refused.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(refused.at("/credits/remaining").asLong()).isZero();
        assertThat(refused.has("ratelimits")).as("the key has no limits").isFalse();
    }

    @Test
    void aRateLimitRefusesBeyondItsLimitAndTheRefusalSpendsNoCredit() {
        Key key = key(List.of(Map.of("name", "per_minute", "limit", 2, "duration_ms", 60_000)),
                Map.of("remaining", 10));
        assertThat(verified(key, Map.of()).at("/credits/remaining").asLong()).isEqualTo(9);
        JsonNode second = verified(key, Map.of());
        assertThat(second.at("/ratelimits/0/remaining").asLong()).isZero();

        JsonNode limited = verified(key, Map.of());
        assertThat(limited.get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.get("valid").asBoolean()).isFalse();
        assertThat(limited.at("/credits/remaining").asLong()).as("a refusal consumes nothing").isEqualTo(8);
        assertThat(limited.at("/ratelimits/0/name").asText()).isEqualTo("per_minute");
        assertThat(limited.at("/ratelimits/0/limit").asLong()).isEqualTo(2);
        assertThat(limited.at("/ratelimits/0/exceeded").asBoolean()).isTrue();
        assertThat(limited.at("/ratelimits/0/reset_at").asText()).isNotBlank();

        JsonNode free = verified(key, Map.of("ratelimits", List.of(Map.of("name", "per_minute", "cost", 0)),
                "credits", Map.of("cost", 0)));
        assertThat(free.get("code").asText()).as("cost 0 is always admitted").isEqualTo("VALID");
        assertThat(free.at("/credits/remaining").asLong()).isEqualTo(8);
    }

    /** Patches the key's status and waits until the read side (what verification reads) has it. */
    private static void status(Key key, String status) {
        HttpApi.Reply patched = writes.patch("/v1/api-keys/" + key.id()).bearer(token(key.account()))
                .json(Map.of("status", status)).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        HttpApi.Reply read = reads.get("/v1/api-keys/" + key.id()).bearer(token(key.account()))
                .header("X-Consistency-Token", patched.header("X-Consistency-Token")).send();
        assertThat(read.header("X-Read-Consistency")).isEqualTo("fresh");
    }

    @Test
    void anAnswerRefusedForTheKeysStateShowsItsLimitsAndCreditsAsTheyStandAndSpendsNothing() {
        // windows of a day (aligned to UTC midnight): no window ends between these few requests
        Key key = key(List.of(Map.of("name", "daily_burst", "limit", 3, "duration_ms", 86_400_000),
                Map.of("name", "daily", "limit", 100, "duration_ms", 86_400_000)), Map.of("remaining", 10));
        JsonNode valid = verified(key, Map.of());
        assertThat(valid.get("code").asText()).isEqualTo("VALID");
        String resetAt = valid.at("/ratelimits/0/reset_at").asText();
        status(key, "INACTIVE");

        for (int i = 0; i < 3; i++) {
            JsonNode inactive = verified(key, Map.of());
            assertThat(inactive.get("code").asText()).isEqualTo("INACTIVE");
            assertThat(inactive.get("valid").asBoolean()).isFalse();
            assertThat(inactive.at("/credits/remaining").asLong()).as("credits as they stand").isEqualTo(9);
            assertThat(inactive.get("ratelimits")).as(inactive.toString()).hasSize(2);
            assertThat(inactive.at("/ratelimits/0/name").asText()).isEqualTo("daily_burst");
            assertThat(inactive.at("/ratelimits/0/limit").asLong()).isEqualTo(3);
            assertThat(inactive.at("/ratelimits/0/remaining").asLong()).as("read, not spent").isEqualTo(2);
            assertThat(inactive.at("/ratelimits/0/reset_at").asText()).isEqualTo(resetAt);
            assertThat(inactive.at("/ratelimits/0/exceeded").asBoolean()).isFalse();
            assertThat(inactive.at("/ratelimits/1/name").asText()).isEqualTo("daily");
            assertThat(inactive.at("/ratelimits/1/remaining").asLong()).isEqualTo(99);
        }
        // the request's own costs: exactly the named limits, exceeded when the cost does not fit what remains
        JsonNode costly = verified(key, Map.of("ratelimits", List.of(Map.of("name", "daily_burst", "cost", 3))));
        assertThat(costly.get("code").asText()).isEqualTo("INACTIVE");
        assertThat(costly.get("ratelimits")).hasSize(1);
        assertThat(costly.at("/ratelimits/0/remaining").asLong()).isEqualTo(2);
        assertThat(costly.at("/ratelimits/0/exceeded").asBoolean()).as("3 do not fit in the 2 left").isTrue();

        status(key, "ACTIVE");
        JsonNode again = verified(key, Map.of());
        assertThat(again.get("code").asText()).isEqualTo("VALID");
        assertThat(again.at("/ratelimits/0/remaining").asLong()).as("the refused answers spent nothing").isEqualTo(1);
        assertThat(again.at("/ratelimits/1/remaining").asLong()).isEqualTo(98);
        assertThat(again.at("/credits/remaining").asLong()).isEqualTo(8);
    }

    @Test
    void fortyParallelVerificationsAgainstTenCreditsAdmitExactlyTen() throws Exception {
        Key key = key(List.of(), Map.of("remaining", 10));
        ExecutorService clients = Executors.newFixedThreadPool(40);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(clients.submit(() -> verified(key, Map.of()).get("code").asText()));
            }
            List<String> codes = new ArrayList<>();
            for (Future<String> answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes.stream().filter("VALID"::equals).count()).as("codes %s", codes).isEqualTo(10);
            assertThat(codes.stream().filter("USAGE_EXCEEDED"::equals).count()).isEqualTo(30);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void creditsAddedThroughTheCreditsEndpointReachVerification() {
        Key key = key(List.of(), Map.of("remaining", 1));
        assertThat(verified(key, Map.of()).get("code").asText()).isEqualTo("VALID");
        assertThat(verified(key, Map.of()).get("code").asText()).isEqualTo("USAGE_EXCEEDED");

        HttpApi.Reply more = writes.post("/v1/api-keys/" + key.id() + "/credits").bearer(token(key.account()))
                .json(Map.of("operation", "increment", "amount", 5)).send();
        assertThat(more.status()).as(more.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> verified(key, Map.of("credits", Map.of("cost", 0))).at("/credits/remaining").asLong() == 5);
        JsonNode again = verified(key, Map.of("credits", Map.of("cost", 2)));
        assertThat(again.get("code").asText()).isEqualTo("VALID");
        assertThat(again.at("/credits/remaining").asLong()).isEqualTo(3);
    }

    @Test
    void costsAndLimitNamesAreValidated() {
        Key key = key(List.of(Map.of("name", "per_second", "limit", 100, "duration_ms", 1_000)),
                Map.of("remaining", 100));
        Map<Map<String, Object>, String> refused = new LinkedHashMap<>();
        refused.put(Map.of("credits", Map.of("cost", 1001)), "credits.cost");
        refused.put(Map.of("credits", Map.of("cost", -1)), "credits.cost");
        refused.put(Map.of("credits", Map.of()), "credits.cost");
        refused.put(Map.of("ratelimits", List.of(Map.of("name", "per_day", "cost", 1))), "ratelimits");
        refused.put(Map.of("ratelimits", List.of(Map.of("name", "per_second", "cost", 1),
                Map.of("name", "per_second", "cost", 1))), "ratelimits");
        refused.put(Map.of("ratelimits", List.of(Map.of("name", "per_second", "cost", 5000))), "ratelimits[0].cost");
        refused.put(Map.of("ratelimits", List.of(Map.of("name", "Per Second", "cost", 1))), "ratelimits[0].name");
        for (Map.Entry<Map<String, Object>, String> bad : refused.entrySet()) {
            HttpApi.Reply reply = verify(key, bad.getKey());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().at("/error/details/field").asText()).as(reply.toString())
                    .isEqualTo(bad.getValue());
        }
        assertThat(verified(key, Map.of()).at("/credits/remaining").asLong()).as("none of them spent")
                .isEqualTo(99);
    }

    @Test
    void aKeyWithoutUsageControlAnswersWithoutCreditsOrLimits() {
        Key key = key(List.of(), null);
        JsonNode answer = verified(key, Map.of());
        assertThat(answer.get("code").asText()).isEqualTo("VALID");
        assertThat(answer.has("credits")).isFalse();
        assertThat(answer.has("ratelimits")).isFalse();
    }

    @Test
    void readsShowTheLiveRemainingCreditsWithinASecond() {
        Key key = key(List.of(), Map.of("remaining", 10));
        verified(key, Map.of("credits", Map.of("cost", 4)));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpApi.Reply read = reads.get("/v1/api-keys/" + key.id()).bearer(token(key.account())).send();
            assertThat(read.json().at("/data/credits/remaining").asLong()).isEqualTo(6);
            HttpApi.Reply list = reads.get("/v1/api-keys/?account_id=" + key.account()).bearer(token(key.account()))
                    .send();
            assertThat(list.json().at("/data/0/credits/remaining").asLong()).isEqualTo(6);
        });
        HttpApi.Reply history = reads.get("/v1/api-keys/" + key.id() + "/history").bearer(token(key.account())).send();
        assertThat(history.json().at("/data/0/changes/credits/after/remaining").asLong())
                .as("the history shows what the events set").isEqualTo(10);
    }

    @Test
    void theUsageEndpointCountsVerificationsPerHourValidAndRefusedByCode() {
        Key key = key(List.of(), Map.of("remaining", 2));
        for (int i = 0; i < 3; i++) {
            verified(key, Map.of());
        }
        java.time.Instant hour = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        String window = "?from=" + hour.minus(Duration.ofHours(1)) + "&to=" + hour.plus(Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpApi.Reply usage = reads.get("/v1/api-keys/" + key.id() + "/usage" + window)
                    .bearer(token(key.account())).send();
            assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
            JsonNode hours = usage.json().get("data");
            long valid = 0;
            long exceeded = 0;
            for (JsonNode bucket : hours) {
                valid += bucket.get("valid").asLong();
                exceeded += bucket.at("/refused/USAGE_EXCEEDED").asLong();
            }
            assertThat(valid).isEqualTo(2);
            assertThat(exceeded).isEqualTo(1);
        });

        String base = "/v1/api-keys/" + key.id() + "/usage";
        HttpApi.Reply tooLong = reads.get(base + "?from=" + hour.minus(Duration.ofDays(8)) + "&to=" + hour)
                .bearer(token(key.account())).send();
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/details/field").asText()).isEqualTo("to");
        HttpApi.Reply backwards = reads.get(base + "?from=" + hour + "&to=" + hour).bearer(token(key.account())).send();
        assertThat(backwards.json().at("/error/details/field").asText()).isEqualTo("from");
        HttpApi.Reply epoch = reads.get(base + "?from=0&to=" + hour).bearer(token(key.account())).send();
        assertThat(epoch.status()).isEqualTo(400);
        assertThat(reads.get(base + window).bearer(token(account())).send().status())
                .as("another account's key").isEqualTo(404);
    }
}
