package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.test.server.AxonServerContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both services in the {@code axonserver} profile against a real Axon Server (Testcontainers, dev mode), a real
 * PostgreSQL (read model, tokens, the command side's own tables) and the shared Kafka broker. Skipped, with the reason
 * logged at WARN, where no Docker engine answers.
 */
class AxonServerModeIT {

    static final String NO_DOCKER = "Docker engine not available: Axon Server mode tests need AxonServerContainer";
    /** The image docker-compose.yml runs. */
    static final String IMAGE = "axoniq/axonserver:2024.2.4-jdk-17";

    private static final Logger LOG = LoggerFactory.getLogger(AxonServerModeIT.class);
    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    private static final String APP = "9f3c2a51-8d1e-4b7a-a0c4-3e5f6a7b8c9d";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AxonServerContainer axonServer;
    private static SystemUnderTest system;
    private static ConfigurableApplicationContext commandService;
    private static ConfigurableApplicationContext queryService;
    private static HttpApi writes;
    private static HttpApi reads;

    private static boolean docker;

    @BeforeAll
    static void startBothServicesOnAxonServer() {
        docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            LOG.warn(NO_DOCKER);
            return;
        }
        axonServer = new AxonServerContainer(IMAGE).withDevMode(true);
        axonServer.start();
        system = SystemUnderTest.onFreshDatabase();
        String[] axonServerMode = {"--spring.profiles.active=axonserver",
                "--KMS_AXONSERVER_SERVERS=" + axonServer.getAxonServerAddress()};
        commandService = system.startCommandService(axonServerMode);
        queryService = system.startQueryService(axonServerMode);
        writes = SystemUnderTest.api(commandService);
        reads = SystemUnderTest.api(queryService);
    }

    /** Per test rather than in BeforeAll, so that each test is reported as skipped, with the reason. */
    @BeforeEach
    void dockerAnswers() {
        assumeTrue(docker, NO_DOCKER);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (axonServer != null) {
            axonServer.stop();
        }
    }

    @Test
    void bothServicesUseAxonServerForEventsAndCommandsAndPostgresHasNoEventStore() {
        assertThat(commandService.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(queryService.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(commandService.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
        assertThat(commandService.getBeanNamesForType(EventStorageEngine.class)).isEmpty();
        assertThat(queryService.getBeanNamesForType(EventStorageEngine.class)).isEmpty();
        assertThat(system.jdbc().queryForObject("SELECT to_regclass('event_store.domain_event_entry')::text",
                String.class)).isNull();
    }

    @Test
    void aCreatedKeyIsStoredInAxonServerProjectedAndItsRevocationReachesKafka() throws Exception {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "On Axon Server", "permissions", READ, "application_id", APP)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();

        assertThat(eventTypes(id)).containsExactly("KeyCreated");

        HttpApi.Reply read = reads.get("/v1/api-keys/" + id).bearer(token(account))
                .header("X-Consistency-Token", created.header("X-Consistency-Token")).send();
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().at("/data/id").asText()).isEqualTo(id);
        assertThat(read.json().at("/data/name").asText()).isEqualTo("On Axon Server");

        HttpApi.Reply revoked = writes.delete("/api/v1/applications/" + APP + "/api-keys/" + id).bearer(token(account))
                .send();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(eventTypes(id)).containsExactly("KeyCreated", "KeyRevoked");

        ConsumerRecord<String, String> revocation = awaitRevocation(id);
        JsonNode value = JSON.readTree(revocation.value());
        assertThat(value.get("account_id").asText()).isEqualTo(account);
        assertThat(value.get("reason").asText()).isEqualTo("revoked");
        assertThat(value.get("key_revoked").asBoolean()).isTrue();

        HttpApi.Reply history = reads.get("/v1/api-keys/" + id + "/history").bearer(token(account)).send();
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        history.json().get("data").forEach(entry -> types.add(entry.get("type").asText()));
        assertThat(types).containsExactly("KeyCreated", "KeyRevoked");
    }

    @Test
    void refusalsCrossAxonServerWithTheirStatus() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        HttpApi.Reply unknown = writes.patch("/v1/api-keys/0b6c3a8e-2f4d-4e1a-9c7b-5d8e9f0a1b2c").bearer(token(account))
                .json(Map.of("name", "Nobody")).send();
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);

        HttpApi.Reply custom = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "Custom", "permissions", READ, "managed", false)).send();
        assertThat(custom.status()).as(custom.toString()).isEqualTo(201);
        HttpApi.Reply regenerate = writes.post("/v1/api-keys/" + custom.json().at("/data/id").asText()
                + "/regenerate").bearer(token(account)).send();
        assertThat(regenerate.status()).as(regenerate.toString()).isEqualTo(409);
    }

    @Test
    void theChainCheckAndTheExportAnswer501WithTheReason() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token(account))
                .json(Map.of("name", "Audited", "permissions", READ)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();

        HttpApi.Reply verify = reads.get("/v1/api-keys/" + id + "/history/verify").bearer(token(account)).send();
        assertThat(verify.status()).as(verify.toString()).isEqualTo(501);
        assertThat(verify.body()).contains("not_available_with_axon_server");

        HttpApi.Reply export = reads.get("/v1/audit/events?account_id=" + account
                + "&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z").bearer(token(account)).send();
        assertThat(export.status()).as(export.toString()).isEqualTo(501);
        assertThat(export.body()).contains("not_available_with_axon_server");
    }

    private static String token(String account) {
        return TestJwts.forAccount(account).sign();
    }

    /** The key's events as Axon Server holds them, read through the command service's event store. */
    private static List<String> eventTypes(String keyId) {
        DomainEventStream stream = commandService.getBean(EventStore.class).readEvents(keyId, 0);
        List<String> types = new ArrayList<>();
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            types.add(event.getPayloadType().getSimpleName());
        }
        return types;
    }

    private static ConsumerRecord<String, String> awaitRevocation(String keyId) {
        // one revocation, from the publisher and possibly also the command side's prompt send (one event id)
        List<ConsumerRecord<String, String>> records = KafkaRecords.firstOfEachEvent(KafkaRecords.awaitRecords(
                TestKafka.bootstrapServers(), KeyRevocation.TOPIC, r -> keyId.equals(r.key()), 1, Duration.ofSeconds(30)));
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
