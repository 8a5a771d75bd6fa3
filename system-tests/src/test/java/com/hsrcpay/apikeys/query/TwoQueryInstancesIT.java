package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two query-service instances on one real PostgreSQL and one real Kafka broker, as two processes would run them:
 * they split every processor's segments between them and each event is handled by exactly one of them.
 * One system serves all three tests (each start of it is three Spring contexts); the take-over stops an instance,
 * so it runs last, and the others count only what they wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoQueryInstancesIT {

    private static final int KEYS = 250;
    private static final int EVENTS_PER_KEY = 4; // created, renamed, deactivated, deleted
    private static final int EVENTS = KEYS * EVENTS_PER_KEY;
    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    private static SystemUnderTest system;
    private static Sharing sharing;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.onFreshDatabase();
        sharing = startSharing(system);
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void twoInstancesSplitTheSegmentsAndHandleEachOfAThousandEventsExactlyOnce() throws Exception {
        HttpApi writes = sharing.writes();
        ConfigurableApplicationContext first = sharing.first();
        ConfigurableApplicationContext second = sharing.second();
        Map<String, Set<Integer>> firstSegments = segmentsOfEveryProcessor(first);
        for (String processor : SystemUnderTest.PROCESSORS) {
            assertThat(firstSegments.get(processor)).as(processor)
                    .doesNotContainAnyElementsOf(segments(second, processor));
        }

        Map<String, Double> handledBefore = new java.util.HashMap<>();
        for (String processor : SystemUnderTest.PROCESSORS) {
            handledBefore.put(processor, SystemUnderTest.handledEvents(first, processor)
                    + SystemUnderTest.handledEvents(second, processor));
        }
        String account = "acct_two_instances_" + Long.toHexString(System.nanoTime());
        List<String> keyIds = writeAThousandEvents(writes, account);
        system.awaitCaughtUp(first, Duration.ofSeconds(60));
        system.awaitCaughtUp(second, Duration.ofSeconds(60));

        for (String processor : SystemUnderTest.PROCESSORS) {
            double byFirst = SystemUnderTest.handledEvents(first, processor);
            double bySecond = SystemUnderTest.handledEvents(second, processor);
            assertThat(byFirst + bySecond - handledBefore.get(processor))
                    .as(processor + ": events handled by both instances together").isEqualTo(EVENTS);
            assertThat(byFirst).as(processor + " on the first instance").isPositive();
            assertThat(bySecond).as(processor + " on the second instance").isPositive();
        }
        assertThat(segmentsOfEveryProcessor(first)).as("no segment changed hands during the run")
                .isEqualTo(firstSegments);

        // the transparency log: one writer among both instances, every stored event once, indices dense
        long stored = system.jdbc().queryForObject("SELECT count(*) FROM event_store.domain_event_entry",
                Long.class);
        assertThat(stored).isGreaterThanOrEqualTo(EVENTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> system.jdbc().queryForObject(
                "SELECT count(*) FROM read_model.transparency_leaf", Long.class) == stored);
        assertThat(system.jdbc().queryForList("SELECT leaf_index FROM read_model.transparency_leaf "
                + "ORDER BY leaf_index", Long.class)).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, stored).boxed().toList());
        assertThat(system.jdbc().queryForObject("""
                SELECT count(*) FROM read_model.transparency_leaf l
                JOIN event_store.domain_event_entry e ON e.event_identifier = l.event_identifier
                  AND e.aggregate_identifier = l.key_id AND e.sequence_number = l.sequence_number""", Long.class))
                .as("each leaf is a distinct stored event").isEqualTo(stored);

        Set<String> ours = new HashSet<>(keyIds);
        List<ConsumerRecord<String, String>> records = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyEventHeaders.TOPIC, record -> ours.contains(record.key()), EVENTS,
                Duration.ofSeconds(60));
        Set<String> eventIds = records.stream().map(r -> KafkaRecords.header(r, KeyEventHeaders.EVENT_ID))
                .collect(Collectors.toSet());
        assertThat(records).as("one Kafka record per event, none twice").hasSize(EVENTS);
        assertThat(eventIds).hasSize(EVENTS);

        Integer projected = system.jdbc().queryForObject(
                "SELECT count(*) FROM read_model.api_key WHERE account_id = ? AND deleted AND version = ?",
                Integer.class, account, EVENTS_PER_KEY);
        assertThat(projected).as("every key projected to its last version").isEqualTo(KEYS);
    }

    @Test
    @Order(3)
    void whenOneInstanceStopsTheOtherTakesOverItsSegmentsAndMissesNothing() {
        HttpApi writes = sharing.writes();
        ConfigurableApplicationContext staying = sharing.first();
        ConfigurableApplicationContext leaving = sharing.second();

        system.stop(leaving);
        String account = "acct_takeover_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        for (int i = 0; i < 20; i++) {
            create(writes, account, token, "Key " + i);
        }

        await("the staying instance claims both segments of every processor").atMost(Duration.ofSeconds(30))
                .until(() -> SystemUnderTest.PROCESSORS.stream()
                        .allMatch(processor -> segments(staying, processor).size() == 2));
        system.awaitCaughtUp(staying, Duration.ofSeconds(30));
        assertThat(system.jdbc().queryForObject("SELECT count(*) FROM read_model.api_key WHERE account_id = ?",
                Integer.class, account)).isEqualTo(20);
    }

    @Test
    @Order(2)
    void aReplayIsRefusedWhileAnotherInstanceHoldsASegmentAndProjectingGoesOn() {
        HttpApi writes = sharing.writes();
        ConfigurableApplicationContext first = sharing.first();
        ConfigurableApplicationContext second = sharing.second();

        String account = "acct_refused_replay_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        for (int i = 0; i < 10; i++) {
            if (i == 5) { // half before the refused replay (it must not wipe them), half after
                system.awaitCaughtUp(first, Duration.ofSeconds(30));
                system.awaitCaughtUp(second, Duration.ofSeconds(30));
                String operator = TestJwts.forAccount("acct_platform").permissions("platform:projections:replay")
                        .sign();
                HttpApi.Reply refused = SystemUnderTest.api(first).post("/admin/projections/key-list/replay")
                        .bearer(operator).send();
                assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
                assertThat(refused.json().at("/error/details/reason").asText())
                        .isEqualTo("segments_claimed_elsewhere");
            }
            create(writes, account, token, "Key " + i);
        }
        await("the refusing instance claims its segment again").atMost(Duration.ofSeconds(30))
                .until(() -> segments(first, "key-list").size() == 1);
        system.awaitCaughtUp(first, Duration.ofSeconds(30));
        system.awaitCaughtUp(second, Duration.ofSeconds(30));
        assertThat(system.jdbc().queryForObject("SELECT count(*) FROM read_model.api_key WHERE account_id = ?",
                Integer.class, account)).as("nothing was reset, everything new projected").isEqualTo(10);
    }

    /** A command service and two query-service instances, each holding one of the two segments of every processor. */
    private record Sharing(HttpApi writes, ConfigurableApplicationContext first,
                           ConfigurableApplicationContext second) {
    }

    private static Sharing startSharing(SystemUnderTest system) {
        HttpApi writes = SystemUnderTest.api(system.startCommandService());
        ConfigurableApplicationContext first = system.startQueryService(quickToShare());
        ConfigurableApplicationContext second = system.startQueryService(quickToShare());
        await("each instance holds one of the two segments of every processor").atMost(Duration.ofSeconds(30))
                .until(() -> SystemUnderTest.PROCESSORS.stream().allMatch(processor ->
                        segments(first, processor).size() == 1 && segments(second, processor).size() == 1));
        return new Sharing(writes, first, second);
    }

    /** Heartbeats and claim attempts every few hundred ms instead of seconds, so the test waits less. */
    private static String[] quickToShare() {
        List<String> args = new ArrayList<>(List.of("--kms.processing.heartbeat-ms=200"));
        for (String processor : SystemUnderTest.PROCESSORS) {
            args.add("--axon.eventhandling.processors." + processor + ".token-claim-interval=300");
        }
        return args.toArray(String[]::new);
    }

    /** 250 keys, each created, renamed, deactivated and deleted: 1,000 events, written by four clients at once. */
    private static List<String> writeAThousandEvents(HttpApi writes, String account) throws Exception {
        String token = TestJwts.forAccount(account).sign();
        List<String> keyIds = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                int n = i;
                done.add(clients.submit(() -> {
                    String id = create(writes, account, token, "Key " + n);
                    keyIds.add(id);
                    expect(200, writes.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("name", "Renamed " + n)));
                    expect(200, writes.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("status", "INACTIVE")));
                    expect(200, writes.delete("/v1/api-keys/" + id).bearer(token));
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return keyIds;
    }

    /** Creates a key and returns its id. */
    private static String create(HttpApi writes, String account, String token, String name) {
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                .json(Map.of("name", name, "permissions", READ)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/data/id").asText();
    }

    private static void expect(int status, HttpApi.Call call) {
        HttpApi.Reply reply = call.send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    }

    private static Set<Integer> segments(ConfigurableApplicationContext queryService, String processor) {
        return new HashSet<>(queryService.getBean(EventProcessingConfiguration.class)
                .eventProcessor(processor, StreamingEventProcessor.class).orElseThrow()
                .processingStatus().keySet());
    }

    private static Map<String, Set<Integer>> segmentsOfEveryProcessor(ConfigurableApplicationContext queryService) {
        return SystemUnderTest.PROCESSORS.stream()
                .collect(Collectors.toMap(processor -> processor, processor -> segments(queryService, processor)));
    }
}
