package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.PostgresLog;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ordinary retry of a create (same Idempotency-Key, same body, after the first answered; also after a restart) is a
 * replay: 201 with the same key, counted as {@code outcome="replayed"}, and PostgreSQL logs no ERROR for it (before,
 * every retry sent the create again and the event store's unique constraint refused it). A retry after a change of
 * the key shows the key as it is.
 */
class IdempotentReplayIT {

    private static final int RETRIES = 5;
    private static final Map<String, Object> BODY =
            Map.of("name", "Retried", "permissions", Map.of("account:api:key", List.of("read")));

    @Test
    void sequentialRetriesAndARetryAfterARestartAreReplayedWithoutADatabaseError() {
        TestDatabase database = TestPostgres.newDatabase();
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String id;
        try (ConfigurableApplicationContext service = StandaloneCommandService.start(database)) {
            HttpApi api = StandaloneCommandService.api(service);
            HttpApi.Reply first = create(api, account);
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            assertThat(first.header("Idempotent-Replayed")).isNotEqualTo("true");
            id = first.json().at("/data/id").asText();
            List<PostgresLog.Entry> before = PostgresLog.errors(database);

            for (int i = 0; i < RETRIES; i++) {
                assertReplayOf(id, create(api, account));
            }

            assertThat(PostgresLog.errors(database)).as("what PostgreSQL logged for %d retries", RETRIES)
                    .isEqualTo(before);
            String scrape = scrape(api);
            assertThat(commandCount(scrape, "replayed")).as(scrape).hasValue(RETRIES);
            assertThat(commandCount(scrape, "success")).hasValue(1);
            assertThat(commandCount(scrape, "error")).isEmpty();

            // retries are answered from memory, but never with the key as it was before a change
            HttpApi.Reply renamed = api.patch("/v1/api-keys/" + id).bearer(TestJwts.forAccount(account).sign())
                    .json(Map.of("name", "Renamed")).send();
            assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
            HttpApi.Reply afterPatch = create(api, account);
            assertReplayOf(id, afterPatch);
            assertThat(afterPatch.json().at("/data/name").asText()).isEqualTo("Renamed");
            assertThat(afterPatch.json().at("/data/version").asLong()).isEqualTo(2);
        }

        try (ConfigurableApplicationContext restarted = StandaloneCommandService.start(database)) {
            HttpApi api = StandaloneCommandService.api(restarted);
            List<PostgresLog.Entry> before = PostgresLog.errors(database);

            assertReplayOf(id, create(api, account));

            assertThat(PostgresLog.errors(database)).as("what PostgreSQL logged for a retry after a restart")
                    .isEqualTo(before);
            String scrape = scrape(api);
            assertThat(commandCount(scrape, "replayed")).hasValue(1);
            assertThat(commandCount(scrape, "success")).isEmpty();
            assertThat(commandCount(scrape, "error")).isEmpty();
        }
    }

    private static HttpApi.Reply create(HttpApi api, String account) {
        return api.post("/v1/api-keys/?account_id=" + account).bearer(TestJwts.forAccount(account).sign())
                .header("Idempotency-Key", "retried-" + account).json(BODY).send();
    }

    private static void assertReplayOf(String id, HttpApi.Reply retry) {
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().at("/data/id").asText()).isEqualTo(id);
    }

    private static String scrape(HttpApi api) {
        HttpApi.Reply reply = api.get("/actuator/prometheus")
                .bearer(TestJwts.forAccount("acct_platform").permissions("platform:metrics:read").sign()).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    /** The value of {@code kms_commands_seconds_count} for CreateKey with this outcome, if the series exists. */
    private static OptionalDouble commandCount(String scrape, String outcome) {
        Matcher series = Pattern.compile("(?m)^kms_commands_seconds_count\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (series.find()) {
            String labels = series.group(1);
            if (labels.contains("command=\"CreateKey\"") && labels.contains("outcome=\"" + outcome + "\"")) {
                return OptionalDouble.of(Double.parseDouble(series.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
