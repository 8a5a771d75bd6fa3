package com.hsrcpay.apikeys.query.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyEventMessages;
import com.hsrcpay.apikeys.testsupport.KafkaContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every event type's approved stored form (event-store's {@code src/test/resources/stored-events}, the files that pin
 * what is stored) read back, mapped to its published message by {@link KeyEventMessages} and made into the Kafka
 * record the publisher sends ({@link KeyEventRecords}): the record meets the AsyncAPI contract, and the value is the
 * approved published form ({@code src/test/resources/published-messages}, approval style: a change of a published
 * shape fails here before it ships).
 */
class PublishedKeyEventsTest {

    /** The stored forms are approved once, in event-store; read from there rather than copied. */
    private static final Path STORED = Path.of("../event-store/src/test/resources/stored-events");
    private static final Path APPROVED = Path.of("src/test/resources/published-messages");
    private static final String EVENT_ID = "0f7d3a52-6c1e-4b8a-9d2f-3e4a5b6c7d8e";
    private static final ObjectMapper STORED_JSON = EventJson.newObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final KeyEventRecords records = new KeyEventRecords(URI.create("/hsrcpay/api-keys"),
            EventJson.newObjectMapper());

    static Stream<Path> approvedStoredEvents() throws IOException {
        try (Stream<Path> files = Files.list(STORED)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void everyEventTypeHasAnApprovedStoredFormToMap() throws IOException {
        Set<String> types = new TreeSet<>();
        Deque<Class<?>> open = new ArrayDeque<>(List.of(KeyEvent.class));
        while (!open.isEmpty()) {
            Class<?> type = open.pop();
            if (type.isSealed()) {
                open.addAll(List.of(type.getPermittedSubclasses()));
            } else {
                types.add(type.getSimpleName());
            }
        }
        Set<String> approved = approvedStoredEvents().map(PublishedKeyEventsTest::typeOf)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(types).hasSize(12);
        assertThat(approved).as("an approved stored form per event type in %s", STORED).isEqualTo(types);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("approvedStoredEvents")
    void eachStoredEventTypeIsPublishedAsAMessageTheContractAccepts(Path stored) throws Exception {
        KeyEvent event = read(stored);

        ProducerRecord<String, byte[]> produced = records.of(KeyEventMessages.of(event, EVENT_ID, 3));
        ConsumerRecord<String, String> consumed = asConsumed(produced);

        assertThat(KafkaContract.get().violations(consumed)).isEmpty();
        assertThat(header(consumed, KeyEventHeaders.CE_TYPE)).isEqualTo("com.hsrcpay.apikey." + typeOf(stored));
        assertThat(header(consumed, KeyEventHeaders.CE_SOURCE)).isEqualTo("/hsrcpay/api-keys");
        assertThat(header(consumed, KeyEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(header(consumed, KeyEventHeaders.CE_SPECVERSION)).isEqualTo("1.0");

        // one approved message per stored form: an older revision is published as what it reads back as
        Path approved = APPROVED.resolve(stored.getFileName());
        JsonNode actual = PRETTY.readTree(consumed.value());
        if (!Files.exists(approved)) {
            Files.createDirectories(APPROVED);
            Files.writeString(approved, PRETTY.writeValueAsString(actual) + "\n");
            fail("No approved published form for " + approved.getFileName() + ": written from the current form; "
                    + "review it and commit it");
        }
        assertThat(actual).as("the published form of %s (approved in %s)", typeOf(stored), approved)
                .isEqualTo(PRETTY.readTree(Files.readString(approved)));
    }

    /**
     * What the topic carried before: the stored form as the value, four headers. The contract refuses every one (27 to
     * 35 violations each: camelCase fields, no event_id, no data, no CloudEvents headers).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("approvedStoredEvents")
    void theStoredFormAsTheTopicCarriedItBeforeIsRefused(Path stored) throws Exception {
        KeyEvent event = read(stored);
        RecordHeaders headers = new RecordHeaders();
        headers.add(KeyEventHeaders.EVENT_TYPE, typeOf(stored).getBytes(StandardCharsets.UTF_8));
        headers.add(KeyEventHeaders.EVENT_ID, EVENT_ID.getBytes(StandardCharsets.UTF_8));
        headers.add(KeyEventHeaders.MODE, event.mode().wireName().getBytes(StandardCharsets.UTF_8));
        headers.add(KeyEventHeaders.REVISION, "1".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, String> old = new ConsumerRecord<>(KeyEventHeaders.TOPIC, 0, 0, 0L,
                TimestampType.CREATE_TIME, 0, 0, event.keyId().toString(), Files.readString(stored), headers,
                Optional.empty());

        List<String> violations = KafkaContract.get().violations(old);
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("keyId"))
                .anySatisfy(v -> assertThat(v).contains("ce_id"));
    }

    @Test
    void theConfiguredSourceIsTheCloudEventSource() throws Exception {
        KeyEvent event = read(STORED.resolve("KeyActivated-rev1.json"));
        KeyEventRecords elsewhere = new KeyEventRecords(URI.create("https://keys.example/eu-1"),
                EventJson.newObjectMapper());

        ConsumerRecord<String, String> consumed = asConsumed(elsewhere.of(KeyEventMessages.of(event, EVENT_ID, 0)));

        assertThat(header(consumed, KeyEventHeaders.CE_SOURCE)).isEqualTo("https://keys.example/eu-1");
        assertThat(KafkaContract.get().violations(consumed)).isEmpty();
    }

    private static KeyEvent read(Path stored) throws IOException, ClassNotFoundException {
        Class<?> type = Class.forName(KeyEvent.class.getPackageName() + "." + typeOf(stored));
        return (KeyEvent) STORED_JSON.readValue(Files.readString(stored), type);
    }

    private static String typeOf(Path stored) {
        String name = stored.getFileName().toString();
        return name.substring(0, name.indexOf("-rev"));
    }

    /** The record as a consumer with String deserializers reads it. */
    static ConsumerRecord<String, String> asConsumed(ProducerRecord<String, byte[]> produced) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : produced.headers()) {
            headers.add(header.key(), header.value());
        }
        return new ConsumerRecord<>(produced.topic(), 0, 0, 0L, TimestampType.CREATE_TIME, 0,
                produced.value().length, produced.key(), new String(produced.value(), StandardCharsets.UTF_8),
                headers, Optional.empty());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
