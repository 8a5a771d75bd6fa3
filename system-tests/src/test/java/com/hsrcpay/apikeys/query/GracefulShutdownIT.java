package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a query service (SIGTERM runs the same context close) lets a request that is in flight finish with its
 * full answer, and leaves every processor's token committed and released: the next instance handles no event twice.
 */
class GracefulShutdownIT {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    @Test
    void aStoppingQueryServiceFinishesItsInFlightRequestAndCommitsAndReleasesEveryToken() throws Exception {
        try (SystemUnderTest system = SystemUnderTest.onFreshDatabase()) {
            HttpApi writes = SystemUnderTest.api(system.startCommandService());
            ConfigurableApplicationContext queryService = system.startQueryService(
                    "--kms.read.consistency-max-wait-ms=3000");
            String account = "acct_" + Long.toHexString(System.nanoTime());
            String token = TestJwts.forAccount(account).sign();
            HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Read while stopping", "permissions", READ)).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().at("/data/id").asText();
            writes.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("name", "Renamed")).send();
            system.awaitCaughtUp(queryService, Duration.ofSeconds(30));

            // a read that waits (3 s) for a version that never comes: in flight while the service stops
            HttpApi reads = SystemUnderTest.api(queryService);
            long sent = System.nanoTime();
            CompletableFuture<HttpApi.Reply> inFlight = CompletableFuture.supplyAsync(() -> reads
                    .get("/v1/api-keys/" + id).bearer(token).header("X-Consistency-Token", id + ":99").send());
            await().atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() - sent > 500_000_000L);
            system.stop(queryService);

            HttpApi.Reply answer = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.header("X-Read-Consistency")).isEqualTo("stale");
            assertThat(answer.json().at("/data/name").asText()).isEqualTo("Renamed");

            assertThat(system.jdbc().queryForList("SELECT owner FROM read_model.token_entry", String.class))
                    // two segments each, the webhook outbox's two and the transparency log's one
                    .as("every segment released").hasSize(SystemUnderTest.PROCESSORS.size() * 2 + 2 + 1)
                    .containsOnlyNulls();
            assertThat(system.jdbc().queryForObject("SELECT count(*) FROM read_model.processor_instance",
                    Integer.class)).as("the stopped instance left the group").isZero();

            // the tokens were committed: a new instance catches up without handling any event a second time, and of
            // one more event it handles exactly that one (so the count it is judged by does count)
            ConfigurableApplicationContext next = system.startQueryService();
            system.awaitCaughtUp(next, Duration.ofSeconds(30));
            for (String processor : SystemUnderTest.PROCESSORS) {
                assertThat(SystemUnderTest.handledEvents(next, processor)).as(processor + " handled again").isZero();
            }
            // one more event (a deletion, which every processor handles)
            HttpApi.Reply deleted = writes.delete("/v1/api-keys/" + id).bearer(token).send();
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
            system.awaitCaughtUp(next, Duration.ofSeconds(30));
            for (String processor : SystemUnderTest.PROCESSORS) {
                assertThat(SystemUnderTest.handledEvents(next, processor)).as(processor + ": the new event only")
                        .isEqualTo(1);
            }
        }
    }
}
