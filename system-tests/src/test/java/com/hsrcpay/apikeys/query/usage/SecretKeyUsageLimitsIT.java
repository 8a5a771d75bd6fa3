package com.hsrcpay.apikeys.query.usage;

import com.hsrcpay.apikeys.query.BothServicesTestBase;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A secret key used as the credential on our own API obeys its own limits and credits (contract: "Usage control"):
 * every request it authenticates costs 1 credit and 1 of each limit, on either service, from one shared balance; a
 * refusal is 429 with its reason, Retry-After when it can end, and the IETF RateLimit fields.
 */
class SecretKeyUsageLimitsIT extends BothServicesTestBase {

    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    /** draft-ietf-httpapi-ratelimit-headers: one sf-string item per limit with integer parameters. */
    private static final Pattern POLICY = Pattern.compile("^\"per_minute\";q=2;w=60$");
    private static final Pattern REMAINING = Pattern.compile("^\"per_minute\";r=0;t=([1-9][0-9]?)$");

    private static String secretKey(String account, Object ratelimits, Object credits) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Metered credential");
        body.put("permissions", READ);
        body.put("ratelimits", ratelimits);
        body.put("credits", credits);
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account)
                .bearer(TestJwts.forAccount(account).sign()).json(body).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        reads.get("/v1/api-keys/" + created.json().at("/data/id").asText()).bearer(TestJwts.forAccount(account).sign())
                .header("X-Consistency-Token", created.header("X-Consistency-Token")).send();
        return created.json().at("/data/key").asText();
    }

    @Test
    void aKeyOutOfCreditsIs429UsageExceededWithoutRetryAfterAndBothServicesSpendOneBalance() {
        String account = account();
        String secret = secretKey(account, List.of(), Map.of("remaining", 3));

        assertThat(reads.get("/v1/whoami").bearer(secret).send().status()).isEqualTo(200);
        // the command service authenticates it too (then refuses the write for want of permission): one credit
        assertThat(writes.post("/v1/api-keys/?account_id=" + account).bearer(secret)
                .json(Map.of("name", "x", "permissions", READ)).send().status()).isEqualTo(403);
        assertThat(reads.get("/v1/whoami").bearer(secret).send().status()).isEqualTo(200);

        HttpApi.Reply refused = reads.get("/v1/whoami").bearer(secret).send();
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("usage_exceeded");
        assertThat(refused.header("Retry-After")).as("no refill: retrying later cannot help").isNull();
        assertThat(writes.patch("/v1/api-keys/00000000-0000-4000-8000-000000000000").bearer(secret)
                .json(Map.of("name", "y")).send().status()).as("on the command service as well").isEqualTo(429);
    }

    @Test
    void aKeyOverItsRateLimitIs429RateLimitedWithRetryAfterAndTheRateLimitFields() {
        String account = account();
        String secret = secretKey(account, List.of(Map.of("name", "per_minute", "limit", 2, "duration_ms", 60_000)),
                Map.of("remaining", 100));
        assertThat(reads.get("/v1/whoami").bearer(secret).send().status()).isEqualTo(200);
        assertThat(reads.get("/v1/whoami").bearer(secret).send().status()).isEqualTo(200);

        HttpApi.Reply limited = reads.get("/v1/whoami").bearer(secret).send();
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.json().at("/error/details/reason").asText()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(limited.header("RateLimit-Policy")).matches(POLICY);
        assertThat(limited.header("RateLimit")).matches(REMAINING);

        String owner = TestJwts.forAccount(account).sign();
        // reads show the live balance within a second (leases report at each sync)
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(reads.get("/v1/api-keys/?account_id=" + account).bearer(owner).send().json()
                        .at("/data/0/credits/remaining").asLong())
                        .as("two requests spent two credits; the refused one nothing").isEqualTo(98));
    }

    private static final Pattern FIELD = Pattern.compile("^\"per_hour\";r=(\\d+);t=(\\d+), \"per_day\";r=(\\d+);t=(\\d+)$");

    /** The {@code r} values of a RateLimit field of the two limits below. */
    private static List<Long> remaining(HttpApi.Reply reply) {
        java.util.regex.Matcher matcher = FIELD.matcher(String.valueOf(reply.header("RateLimit")));
        assertThat(matcher.matches()).as(reply.header("RateLimit") + " " + reply).isTrue();
        return List.of(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(3)));
    }

    @Test
    void everyAnswerAdmittedForAKeyWithLimitsCarriesTheRateLimitFieldsOnEitherService() {
        String account = account();
        String secret = secretKey(account, List.of(Map.of("name", "per_hour", "limit", 50, "duration_ms", 3_600_000),
                Map.of("name", "per_day", "limit", 1000, "duration_ms", 86_400_000)), null);
        String policy = "\"per_hour\";q=50;w=3600, \"per_day\";q=1000;w=86400";

        HttpApi.Reply first = reads.get("/v1/whoami").bearer(secret).send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).isEqualTo(policy);
        List<Long> afterFirst = remaining(first);
        assertThat(afterFirst.get(1)).as("what remains after this request").isEqualTo(999);

        HttpApi.Reply list = reads.get("/v1/api-keys/?account_id=" + account).bearer(secret).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.header("RateLimit-Policy")).isEqualTo(policy);
        assertThat(remaining(list).get(1)).isEqualTo(998);
        assertThat(afterFirst.get(0)).isEqualTo(49);
        assertThat(remaining(list).get(0)).as("48, or 49 if the hour's window ended meanwhile").isIn(48L, 49L);

        // the command service writes them too, also on an answer the request is refused later (here 403: no create)
        HttpApi.Reply write = writes.post("/v1/api-keys/?account_id=" + account).bearer(secret)
                .json(Map.of("name", "x", "permissions", READ)).send();
        assertThat(write.status()).as(write.toString()).isEqualTo(403);
        assertThat(write.header("RateLimit-Policy")).isEqualTo(policy);
        // rate-limit counters are each instance's, shared at every sync (200 ms): it knows its own admission at once
        assertThat(remaining(write).get(1)).as("what the command service knows").isBetween(997L, 999L);

        // a key without limits (credits only) and a JWT send none
        String unlimited = secretKey(account, List.of(), Map.of("remaining", 5));
        HttpApi.Reply plain = reads.get("/v1/whoami").bearer(unlimited).send();
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("RateLimit-Policy")).isNull();
        assertThat(plain.header("RateLimit")).isNull();
        HttpApi.Reply jwt = reads.get("/v1/whoami").bearer(TestJwts.forAccount(account).sign()).send();
        assertThat(jwt.header("RateLimit-Policy")).isNull();
        assertThat(jwt.header("RateLimit")).isNull();
    }
}
