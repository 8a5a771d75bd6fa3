package com.hsrcpay.apikeys.localstack.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What actually happened, read from where it is kept: the event store (the truth every write is judged by), the
 * read model, and Kafka's {@code api-key-events}. Acknowledged writes are checked against it: present, and once.
 */
final class Ledger {

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    /** The read model's tables, row by row (last use lives elsewhere: it is no projection). */
    private static final List<String> READ_MODEL = List.of(
            "SELECT * FROM read_model.api_key ORDER BY key_id",
            "SELECT * FROM read_model.key_secret ORDER BY secret_sha256",
            "SELECT * FROM read_model.revocation ORDER BY secret_sha256");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final JdbcTemplate jdbc;

    Ledger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Event types of one key, in sequence order. */
    List<String> eventTypes(String keyId) {
        return jdbc.queryForList("""
                SELECT substring(payload_type from '[^.]+$') FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number""", String.class, keyId);
    }

    /** Event identifiers of each key, in sequence order. */
    Map<String, List<String>> eventIdsPerKey(Collection<String> keyIds) {
        Map<String, List<String>> perKey = new TreeMap<>();
        for (String keyId : keyIds) {
            perKey.put(keyId, jdbc.queryForList("""
                    SELECT event_identifier FROM event_store.domain_event_entry
                    WHERE aggregate_identifier = ? ORDER BY sequence_number""", String.class, keyId));
        }
        return perKey;
    }

    /** Distinct keys that have a KeyCreated event of {@code accountId}. */
    List<String> keysCreatedFor(String accountId) {
        return jdbc.queryForList("""
                SELECT aggregate_identifier FROM event_store.domain_event_entry
                WHERE event_store.event_json(payload) ->> 'accountId' = ? AND sequence_number = 0
                ORDER BY global_index""", String.class, accountId);
    }

    /** How many events carry each request id (one write with one X-Request-Id appends one event here). */
    Map<String, Integer> eventsPerRequestId(String accountId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT event_store.event_json(payload) ->> 'requestId', count(*) FROM event_store.domain_event_entry
                WHERE event_store.event_json(payload) ->> 'accountId' = ? GROUP BY 1""",
                rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                }, accountId);
        return counts;
    }

    /**
     * Everything the store and the read model hold about the secrets of one key, with the hash of the secret that
     * was expected to work: for the log when a verification says something else.
     */
    String secretsOf(String keyId, String expectedPlaintext) {
        String expected = com.hsrcpay.apikeys.shared.secret.SecretFormat.sha256(expectedPlaintext);
        List<String> events = jdbc.queryForList("""
                SELECT sequence_number || ' ' || substring(payload_type from '[^.]+$') || ' new='
                       || coalesce(left(event_store.event_json(payload) #>> '{newSecret,sha256}', 12), '-')
                       || ' stopping=' || coalesce(event_store.event_json(payload) ->> 'stoppedSecretSha256s', '-')
                FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""",
                String.class, keyId);
        List<String> secrets = jdbc.queryForList("""
                SELECT left(secret_sha256, 12) || ' valid_until=' || coalesce(valid_until::text, '-')
                FROM read_model.key_secret WHERE key_id = ?::uuid""", String.class, keyId);
        List<String> revoked = jdbc.queryForList("""
                SELECT left(secret_sha256, 12) || ' ' || reason FROM read_model.revocation WHERE key_id = ?::uuid""",
                String.class, keyId);
        return "expected secret " + expected.substring(0, 12) + "; events " + events + "; key_secret " + secrets
                + "; revocation " + revoked + "; now " + java.time.Instant.now();
    }

    long head() {
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry",
                Long.class);
        return head == null ? 0 : head;
    }

    /** The read model's version of a key, or -1 while it has no row. */
    long readModelVersion(String keyId) {
        List<Long> versions = jdbc.queryForList("SELECT version FROM read_model.api_key WHERE key_id = ?::uuid",
                Long.class, keyId);
        return versions.isEmpty() ? -1 : versions.get(0);
    }

    /** Waits until the read model shows every event of {@code keyId}. */
    void awaitProjected(String keyId) {
        long events = eventTypes(keyId).size();
        await("read model of " + keyId + " at version " + events).atMost(Bounds.PROPAGATION)
                .pollInterval(Duration.ofMillis(50)).until(() -> readModelVersion(keyId) >= events);
    }

    /**
     * The read model equals what a replay from the first event builds: the tables as they are, then
     * {@code POST /admin/projections/key-list/replay} and revocation-list on the query service's own port, each
     * awaited to completion, then the tables again. Call with no write in flight.
     */
    void assertReadModelEqualsReplay(LoadGenerator queryService) {
        long head = head();
        await("read model caught up with the store").atMost(Bounds.PROPAGATION).pollInterval(Duration.ofMillis(100))
                .until(() -> projectionsCaughtUp(head));
        List<List<Map<String, Object>>> before = readModel();
        for (String projection : List.of("key-list", "revocation-list")) {
            Outcome started = queryService.request("replay " + projection, "POST",
                    "/admin/projections/" + projection + "/replay").bearer(SystemUnderStress.OPERATOR).send();
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            await("replay of " + projection + " completed").atMost(Bounds.PROPAGATION)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        Outcome progress = queryService.request("progress", "GET",
                                "/admin/projections/" + projection + "/replay").bearer(SystemUnderStress.OPERATOR).send();
                        return progress.status() == 200 && "completed".equals(progress.data("state"));
                    });
        }
        // "completed" is judged from the processors' status in memory; the rebuilt rows are there once the tokens
        // stored with them (same transaction) have passed the head
        await("replayed projections committed").atMost(Bounds.PROPAGATION).pollInterval(Duration.ofMillis(100))
                .until(() -> projectionsCaughtUp(head));
        List<List<Map<String, Object>>> replayed = readModel();
        log.info("Read model against a replay from zero: {} keys, {} secrets, {} revocations before; {} / {} / {} after",
                before.get(0).size(), before.get(1).size(), before.get(2).size(),
                replayed.get(0).size(), replayed.get(1).size(), replayed.get(2).size());
        List<String> differences = new ArrayList<>();
        for (int t = 0; t < READ_MODEL.size(); t++) {
            List<Map<String, Object>> onlyLive = new ArrayList<>(before.get(t));
            onlyLive.removeAll(replayed.get(t));
            List<Map<String, Object>> onlyReplayed = new ArrayList<>(replayed.get(t));
            onlyReplayed.removeAll(before.get(t));
            if (!onlyLive.isEmpty() || !onlyReplayed.isEmpty()) {
                differences.add(READ_MODEL.get(t) + ": " + onlyLive.size() + " rows only live, " + onlyReplayed.size()
                        + " only after the replay; first: live " + onlyLive.stream().limit(2).toList()
                        + " / replayed " + onlyReplayed.stream().limit(2).toList());
            }
        }
        differences.forEach(d -> log.info("Read model differs from a replay: {}", d));
        assertThat(differences).as("read model rows a replay from zero builds differently").isEmpty();
    }

    /**
     * Whether key-list and revocation-list have handled every event in the store: each token at or past the head,
     * and none of the gaps it still waits for (an append that committed late, after later ones) is an event that is
     * there now. A gap that is no event (a rolled-back append) never fills.
     */
    private boolean projectionsCaughtUp(long head) {
        List<String> tokens = jdbc.queryForList("""
                SELECT convert_from(token, 'UTF8') FROM read_model.token_entry
                WHERE processor_name IN ('key-list', 'revocation-list')""", String.class);
        if (tokens.isEmpty()) {
            return false;
        }
        for (String token : tokens) {
            JsonNode json = readJson(token);
            if (json.has("currentToken")) { // a replay in progress: where it has got to
                json = json.get("currentToken");
            }
            JsonNode index = json.has("index") ? json.get("index") : json.get("globalIndex");
            if (index == null || index.asLong() < head) {
                return false;
            }
            List<Long> gaps = new ArrayList<>();
            json.path("gaps").forEach(gap -> gaps.add(gap.asLong()));
            if (!gaps.isEmpty() && !jdbc.queryForList(
                    "SELECT global_index FROM event_store.domain_event_entry WHERE global_index = ANY (?)",
                    Long.class, (Object) gaps.toArray(Long[]::new)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a token that is not JSON: " + text, e);
        }
    }

    private List<List<Map<String, Object>>> readModel() {
        return READ_MODEL.stream().map(jdbc::queryForList).toList();
    }

    /**
     * Event identifiers per key as a fresh consumer reads {@code api-key-events} from the beginning, first occurrence
     * of each event id only (the contract's at-least-once deduplication), waiting until {@code expected} is there.
     */
    static Map<String, List<String>> kafkaEventIdsPerKey(String bootstrapServers, Map<String, List<String>> expected) {
        Set<String> keys = expected.keySet();
        long wanted = expected.values().stream().mapToLong(List::size).sum();
        Map<String, List<String>> perKey = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            await("topic " + KeyEventHeaders.TOPIC).atMost(Bounds.PROPAGATION)
                    .until(() -> !consumer.partitionsFor(KeyEventHeaders.TOPIC).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(KeyEventHeaders.TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long[] found = {0};
            try {
                await("every event of " + keys.size() + " keys on " + KeyEventHeaders.TOPIC)
                        .atMost(Bounds.KAFKA_CATCH_UP).pollInterval(Duration.ZERO).until(() -> {
                            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                                KafkaRecords.checked(record); // every record read meets the AsyncAPI contract
                                String eventId = header(record, KeyEventHeaders.EVENT_ID);
                                if (keys.contains(record.key()) && seen.add(eventId)) {
                                    perKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(eventId);
                                    found[0]++;
                                }
                            }
                            return found[0] >= wanted;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                log.warn("Kafka had {} of {} events after {}", found[0], wanted, Bounds.KAFKA_CATCH_UP);
            }
        }
        return perKey;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The secret a create or regenerate answered, if it carries the plaintext. */
    static String plaintext(Outcome outcome) {
        JsonNode key = outcome.json().at("/data/key");
        return key.isTextual() && !key.asText().contains("…") ? key.asText() : null;
    }
}
