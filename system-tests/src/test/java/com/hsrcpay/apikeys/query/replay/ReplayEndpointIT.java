package com.hsrcpay.apikeys.query.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.query.BulkEvents;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.query.publishing.KeyEventPublisher;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator replay: a rebuild of key-list from 20,000 events started over HTTP, progress to 100 %, the key reads
 * answering 503 + Retry-After while the tables are being rebuilt and 200 with the same keys after.
 */
class ReplayEndpointIT {

    static final int BULK = 20_000;

    private SystemUnderTest system;

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void replaysKeyListWithProgressAndGatesReadsMeanwhile() {
        system = SystemUnderTest.onFreshDatabase();
        HttpApi writes = SystemUnderTest.api(system.startCommandService());
        ConfigurableApplicationContext queryService = system.startQueryService("--kms.replay.log-interval-ms=500");
        HttpApi reads = SystemUnderTest.api(queryService);
        // the bulk rows below are for the projections: no need to publish 20,000 records to Kafka too
        queryService.getBean(EventProcessingConfiguration.class)
                .eventProcessor(KeyEventPublisher.GROUP, StreamingEventProcessor.class).orElseThrow().shutDown();

        String account = "acct_replay_ops";
        String token = TestJwts.forAccount(account).sign();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Key " + i, "permissions", Map.of("account:api:key", List.of("read")))).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.json().at("/data/id").asText());
        }
        insertKeyCreated("acct_bulk", BULK);
        awaitKeyListAt(queryService);
        JsonNode before = reads.get("/v1/api-keys/?account_id=" + account + "&limit=100").bearer(token).send().json();
        assertThat(before.get("total").asLong()).isEqualTo(5);

        // only the platform permission may replay or watch
        String operator = TestJwts.forAccount("acct_platform").permissions("platform:projections:replay").sign();
        assertThat(reads.post("/admin/projections/key-list/replay").bearer(token).send().status()).isEqualTo(403);
        assertThat(reads.get("/admin/projections/key-list/replay").bearer(token).send().status()).isEqualTo(403);
        assertThat(reads.post("/admin/projections/key-list/replay").send().status()).isEqualTo(401);
        assertThat(reads.post("/admin/projections/nope/replay").bearer(operator).send().status()).isEqualTo(404);
        JsonNode idle = reads.get("/admin/projections/revocation-list/replay").bearer(operator).send().json();
        assertThat(idle.at("/data/state").asText()).isEqualTo("idle");

        HttpApi.Reply started = reads.post("/admin/projections/key-list/replay").bearer(operator).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long head = started.json().at("/data/head").asLong();
        assertThat(head).isGreaterThanOrEqualTo(BULK + 5);
        assertThat(started.json().at("/data/state").asText()).isEqualTo("replaying");

        // the tables were truncated and 20,000 events lie ahead: the reads say so rather than answer wrongly
        HttpApi.Reply during = reads.get("/v1/api-keys/?account_id=" + account).bearer(token).send();
        assertThat(during.status()).as(during.toString()).isEqualTo(503);
        assertThat(during.header("Retry-After")).isEqualTo("5");
        assertThat(during.json().get("success").asBoolean()).isFalse();
        assertThat(reads.get("/v1/api-keys/" + ids.get(0)).bearer(token).send().status()).isEqualTo(503);
        // point-in-time reads and history come from the event store and keep answering
        assertThat(reads.get("/v1/api-keys/" + ids.get(0) + "?as_of=2100-01-01T00:00:00Z").bearer(token).send()
                .status()).isEqualTo(200);
        assertThat(reads.get("/v1/api-keys/" + ids.get(0) + "/history").bearer(token).send().status()).isEqualTo(200);

        List<Double> percents = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode progress = reads.get("/admin/projections/key-list/replay").bearer(operator).send().json().get("data");
            percents.add(progress.get("percent").asDouble());
            assertThat(progress.get("state").asText()).isEqualTo("completed");
        });
        JsonNode done = reads.get("/admin/projections/key-list/replay").bearer(operator).send().json().get("data");
        assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("position").asLong()).isGreaterThanOrEqualTo(head);
        assertThat(done.get("events_per_second").asDouble()).isPositive();
        assertThat(done.get("eta_seconds").asLong()).isZero();
        assertThat(percents).isSorted();

        HttpApi.Reply after = reads.get("/v1/api-keys/?account_id=" + account + "&limit=100").bearer(token).send();
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("data")).isEqualTo(before.get("data"));
        assertThat(reads.get("/v1/api-keys/" + ids.get(0)).bearer(token).send().status()).isEqualTo(200);
        assertThat(system.jdbc().queryForObject("SELECT count(*) FROM read_model.api_key", Long.class))
                .isEqualTo(BULK + 5L);
    }

    private void awaitKeyListAt(ConfigurableApplicationContext queryService) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                system.jdbc().queryForObject("SELECT count(*) FROM read_model.api_key", Long.class) == BULK + 5L);
    }

    private void insertKeyCreated(String account, int count) {
        BulkEvents.append(system.jdbc().getDataSource(),
                BulkEvents.keysCreated(account, count, Instant.now(), Map.of()));
    }
}
