package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import com.hsrcpay.apikeys.query.replay.ProjectionReplays;
import com.hsrcpay.apikeys.query.revocation.RevocationListProjection;
import com.hsrcpay.apikeys.query.transparency.TransparencyLogWriter;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the query service mid-stream and resuming gives exactly the tables a replay from zero builds, event by
 * event through Axon's processor or on the bulk path ({@code BulkReplay}).
 */
class ProjectionReplayIT {

    static final List<String> TABLES = List.of(
            "SELECT * FROM read_model.api_key ORDER BY key_id",
            "SELECT * FROM read_model.key_secret ORDER BY secret_sha256",
            "SELECT * FROM read_model.revocation ORDER BY secret_sha256");

    private SystemUnderTest system;

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void resumingAfterAStopMidStreamGivesTheSameTablesAsAFreshReplay() {
        system = SystemUnderTest.onFreshDatabase();
        HttpApi writes = SystemUnderTest.api(system.startCommandService());
        ConfigurableApplicationContext first = system.startQueryService();
        String account = "acct_replay";
        String token = TestJwts.forAccount(account).sign();

        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40; i++) {
                writeLifecycle(writes, token, account, i);
                written.incrementAndGet();
            }
        });
        // stop the first instance while the writer is still producing events
        await().atMost(Duration.ofMinutes(1)).until(() -> written.get() >= 10
                && system.jdbc().queryForObject("SELECT count(*) FROM read_model.api_key", Long.class) > 0);
        system.stop(first);
        writer.join();
        assertThat(written.get()).isEqualTo(40);

        ConfigurableApplicationContext second = system.startQueryService();
        system.awaitCaughtUp(second, Duration.ofMinutes(1));
        List<List<Map<String, Object>>> resumed = snapshot();
        assertThat(resumed.get(0)).hasSize(40);
        assertThat(resumed.get(2)).isNotEmpty();

        // rows no event explains: only a reset (the @ResetHandlers truncate) makes them go away
        system.jdbc().update("""
                INSERT INTO read_model.api_key (key_id, account_id, mode, name, type, secret_hint, metadata, permissions,
                    status, managed, deleted, created_at, updated_at, version)
                VALUES (gen_random_uuid(), 'acct_replay', 'live', 'stray', 'SECRET', 'x', '{}', '{}', 'ACTIVE',
                    false, false, now(), now(), 1)""");
        system.jdbc().update("""
                INSERT INTO read_model.revocation (secret_sha256, key_id, account_id, mode, reason, revoked_at)
                VALUES (repeat('f', 64), gen_random_uuid(), 'acct_replay', 'live', 'deleted', now())""");
        long events = system.jdbc().queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
        await().atMost(Duration.ofMinutes(1)).until(() -> system.jdbc().queryForObject(
                "SELECT count(*) FROM read_model.transparency_leaf", Long.class) == events);
        List<List<Map<String, Object>>> log = transparencyLog();
        replayFromZero(second, KeyListProjection.GROUP);
        replayFromZero(second, RevocationListProjection.GROUP);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(snapshot()).isEqualTo(resumed));
        assertThat(transparencyLog()).as("a replay of the projections changes no leaf").isEqualTo(log);

        // even the log's own writer from zero (it is not replayable through the API) appends nothing twice
        replayFromZero(second, TransparencyLogWriter.GROUP);
        long head = system.jdbc().queryForObject("SELECT max(global_index) FROM event_store.domain_event_entry", Long.class);
        await().atMost(Duration.ofMinutes(1)).until(() -> position(second, TransparencyLogWriter.GROUP) >= head);
        assertThat(transparencyLog()).as("redelivered events are already leaves").isEqualTo(log);

        // the replay an operator starts takes the bulk path: the same tables, and the processor goes on from its end
        ProjectionReplays replays = second.getBean(ProjectionReplays.class);
        replays.start(KeyListProjection.GROUP);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> "completed".equals(replays.progress(KeyListProjection.GROUP).state()));
        assertThat(system.jdbc().queryForList("SELECT DISTINCT token_type FROM read_model.token_entry "
                        + "WHERE processor_name = ?", String.class, KeyListProjection.GROUP))
                .as("every segment at the bulk's end (an event-by-event replay holds a ReplayToken until new events)")
                .containsExactly(GapAwareTrackingToken.class.getName());
        assertThat(snapshot()).as("the bulk path builds what Axon's processor builds event by event").isEqualTo(resumed);
        for (int i = 40; i < 46; i++) {
            writeLifecycle(writes, token, account, i);
        }
        system.awaitCaughtUp(second, Duration.ofMinutes(1));
        List<List<Map<String, Object>>> afterBulk = snapshot();
        assertThat(afterBulk.get(0)).hasSize(46);
        replayFromZero(second, KeyListProjection.GROUP);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(snapshot()).as("events after the bulk, projected once, as a replay "
                        + "event by event projects them").isEqualTo(afterBulk));
    }

    private List<List<Map<String, Object>>> transparencyLog() {
        // hashes as hex: byte arrays in a row map compare by identity
        return List.of(system.jdbc().queryForList("SELECT leaf_index, event_identifier, key_id, sequence_number, "
                        + "encode(chain_digest, 'hex') AS digest, appended_at FROM read_model.transparency_leaf ORDER BY leaf_index"),
                system.jdbc().queryForList("SELECT level, node_index, encode(hash, 'hex') AS hash "
                        + "FROM read_model.transparency_node ORDER BY level, node_index"));
    }

    private static long position(ConfigurableApplicationContext queryService, String processorName) {
        return queryService.getBean(EventProcessingConfiguration.class)
                .eventProcessor(processorName, StreamingEventProcessor.class).orElseThrow()
                .processingStatus().values().stream()
                .mapToLong(status -> status.getTrackingToken() == null ? -1
                        : status.getTrackingToken().position().orElse(-1))
                .min().orElse(-1);
    }

    /** Create, patch, sometimes rotate, sometimes delete: several events per key. */
    private static void writeLifecycle(HttpApi writes, String token, String account, int i) {
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                .json(Map.of("name", "Key " + i, "permissions", Map.of("account:api:key", List.of("read")),
                        "managed", i % 2 == 0, "metadata", Map.of("n", i))).send();
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        assertThat(writes.patch("/v1/api-keys/" + id).bearer(token)
                .json(Map.of("name", "Renamed " + i, "status", "INACTIVE")).send().status()).isEqualTo(200);
        if (i % 2 == 0) {
            assertThat(writes.post("/v1/api-keys/" + id + "/regenerate").bearer(token).send().status()).isEqualTo(200);
        }
        if (i % 3 == 0) {
            assertThat(writes.delete("/v1/api-keys/" + id).bearer(token).send().status()).isEqualTo(200);
        }
    }

    private void replayFromZero(ConfigurableApplicationContext queryService, String processorName) {
        StreamingEventProcessor processor = queryService.getBean(EventProcessingConfiguration.class)
                .eventProcessor(processorName, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    private List<List<Map<String, Object>>> snapshot() {
        return TABLES.stream().map(sql -> system.jdbc().queryForList(sql)).toList();
    }
}
