package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage control over HTTP on the real command service (every answer is checked against the published OpenAPI
 * document by {@link HttpApi}): rate limits and credits on create, patch and the credits endpoint, each refusal a
 * 400 naming its field (or the contract's 409) with nothing written.
 */
class UsageControlApiIT extends WriteApiTestBase {

    private static final Map<String, Object> PER_SECOND = Map.of("name", "per_second", "limit", 10, "duration_ms", 1000);

    private static Map<String, Object> keyBody(Object ratelimits, Object credits) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Metered");
        body.put("permissions", READ_CREATE);
        body.put("ratelimits", ratelimits);
        body.put("credits", credits);
        return body;
    }

    @Test
    void aKeyCreatedWithLimitsAndCreditsAnswersThemInItsObject() {
        String account = newAccount();
        HttpApi.Reply created = create(account, keyBody(List.of(PER_SECOND), Map.of("remaining", 1000,
                "refill", Map.of("interval", "monthly", "amount", 500, "refill_day", 31))));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode key = created.json().get("data");
        assertThat(key.get("ratelimits").toString())
                .isEqualTo("[{\"name\":\"per_second\",\"limit\":10,\"duration_ms\":1000}]");
        assertThat(key.at("/credits/remaining").asLong()).isEqualTo(1000);
        assertThat(key.at("/credits/refill/interval").asText()).isEqualTo("monthly");
        assertThat(key.at("/credits/refill/refill_day").asInt()).isEqualTo(31);
    }

    @Test
    void aKeyCreatedWithoutThemHasNoLimitsAndIsUnlimited() {
        JsonNode key = createKey(newAccount(), false);

        assertThat(key.get("ratelimits").isArray()).isTrue();
        assertThat(key.get("ratelimits")).isEmpty();
        assertThat(key.get("credits").isNull()).as("present, and null: unlimited").isTrue();
    }

    @Test
    void badLimitsAndCreditsAre400NamingTheFieldAndCreateNothing() {
        String account = newAccount();
        long before = eventCount();
        Map<Map<String, Object>, String> refused = new LinkedHashMap<>();
        Map<String, Object> nullLimits = keyBody(null, null);
        refused.put(nullLimits, "ratelimits");
        refused.put(keyBody(List.of(PER_SECOND, PER_SECOND), null), "ratelimits[1].name");
        refused.put(keyBody(List.of(Map.of("name", "x", "limit", 0, "duration_ms", 1000)), null), "ratelimits[0].limit");
        refused.put(keyBody(List.of(Map.of("name", "x", "limit", 1.5, "duration_ms", 1000)), null),
                "ratelimits[0].limit");
        refused.put(keyBody(List.of(Map.of("name", "x", "limit", 1, "duration_ms", 1000, "burst", 2)), null),
                "ratelimits[0].burst");
        refused.put(keyBody(List.of(), Map.of("remaining", -1)), "credits.remaining");
        refused.put(keyBody(List.of(), Map.of("remaining", 1, "refill", Map.of("interval", "daily", "amount", 1,
                "refill_day", 2))), "credits.refill.refill_day");

        for (Map.Entry<Map<String, Object>, String> bad : refused.entrySet()) {
            HttpApi.Reply reply = create(account, bad.getKey());
            assertErrorEnvelope(reply, 400);
            assertThat(reply.json().at("/error/details/field").asText()).as(reply.toString())
                    .isEqualTo(bad.getValue());
        }
        assertThat(eventCount()).as("nothing written").isEqualTo(before);
    }

    @Test
    void aPatchReplacesLimitsAndCreditsAndEmptyListsClearLimits() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        HttpApi.Reply limited = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .json(Map.of("ratelimits", List.of(PER_SECOND), "credits", Map.of("remaining", 5))).send();
        assertThat(limited.status()).as(limited.toString()).isEqualTo(200);
        assertThat(limited.json().at("/data/ratelimits/0/name").asText()).isEqualTo("per_second");
        assertThat(limited.json().at("/data/credits/remaining").asLong()).isEqualTo(5);
        assertThat(limited.json().at("/data/credits/refill").isNull()).isTrue();

        HttpApi.Reply cleared = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .rawBody("application/json", "{\"ratelimits\":[],\"credits\":null}").send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().at("/data/ratelimits")).isEmpty();
        assertThat(cleared.json().at("/data/credits").isNull()).isTrue();

        HttpApi.Reply nullLimits = api().patch("/v1/api-keys/" + id).bearer(tokenFor(account))
                .rawBody("application/json", "{\"ratelimits\":null}").send();
        assertErrorEnvelope(nullLimits, 400);
        assertThat(nullLimits.json().at("/error/details/field").asText()).isEqualTo("ratelimits");
        assertThat(eventCount(id)).as("created, updated twice").isEqualTo(3);
    }

    @Test
    void theCreditsEndpointSetsIncrementsAndDecrementsAndAnswersTheKey() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        HttpApi.Reply unlimited = credits(account, id, "increment", 5);
        assertErrorEnvelope(unlimited, 409);
        assertThat(unlimited.json().at("/error/details/reason").asText()).isEqualTo("credits_unlimited");

        assertThat(credits(account, id, "set", 10).json().at("/data/credits/remaining").asLong()).isEqualTo(10);
        assertThat(credits(account, id, "increment", 5).json().at("/data/credits/remaining").asLong()).isEqualTo(15);
        HttpApi.Reply floored = credits(account, id, "decrement", 100);
        assertThat(floored.status()).as(floored.toString()).isEqualTo(200);
        assertThat(floored.json().at("/data/credits/remaining").asLong()).as("stops at 0").isZero();
        assertThat(floored.json().at("/data/version").asLong()).isEqualTo(4);
        assertThat(eventCount(id)).isEqualTo(4);
    }

    @Test
    void badCreditOperationsAre400AndOtherAccountsKeysAre404() {
        String account = newAccount();
        String id = createKey(account, false).get("id").asText();

        for (String operation : List.of("Set", " set", "add", "")) {
            HttpApi.Reply reply = credits(account, id, operation, 5);
            assertErrorEnvelope(reply, 400);
            assertThat(reply.json().at("/error/details/field").asText()).isEqualTo("operation");
        }
        HttpApi.Reply noAmount = api().post("/v1/api-keys/" + id + "/credits").bearer(tokenFor(account))
                .json(Map.of("operation", "set")).send();
        assertErrorEnvelope(noAmount, 400);
        assertThat(noAmount.json().at("/error/details/field").asText()).isEqualTo("amount");
        HttpApi.Reply fractional = api().post("/v1/api-keys/" + id + "/credits").bearer(tokenFor(account))
                .rawBody("application/json", "{\"operation\":\"set\",\"amount\":1.5}").send();
        assertErrorEnvelope(fractional, 400);

        String other = newAccount();
        assertErrorEnvelope(credits(other, id, "set", 5), 404);
        assertThat(eventCount(id)).as("nothing written").isEqualTo(1);
    }

    private HttpApi.Reply credits(String account, String id, String operation, long amount) {
        return api().post("/v1/api-keys/" + id + "/credits").bearer(tokenFor(account))
                .json(Map.of("operation", operation, "amount", amount)).send();
    }
}
