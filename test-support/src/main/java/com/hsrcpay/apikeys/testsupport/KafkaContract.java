package com.hsrcpay.apikeys.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.shared.message.CheckpointRecords;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyEventMessage;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Kafka contract checked from the outside: a record (topic, key, headers, value) against the AsyncAPI document
 * the services publish ({@link KeyEventMessage#ASYNCAPI_RESOURCE}, served at {@code /v3/asyncapi.json}). The value
 * and the headers must each validate against the JSON Schema of the channel's message (networknt, draft-07, the
 * AsyncAPI 3 default schema format, formats asserted); the rules that tie headers, key and value together (which
 * JSON Schema cannot express) are checked beside: the document's description states them.
 */
public final class KafkaContract {

    private static final String DOCUMENT = "classpath:" + KeyEventMessage.ASYNCAPI_RESOURCE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KafkaContract INSTANCE = new KafkaContract();

    private final JsonNode document;
    /** Draft-07, knowing the AsyncAPI document's own top-level fields as no schema keywords (no warnings for them). */
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV7())
                    .keywords(Stream.of("asyncapi", "info", "defaultContentType", "servers", "channels", "operations",
                            "components").map(NonValidationKeyword::new).toList())
                    .build()));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private KafkaContract() {
        try (InputStream in = KafkaContract.class.getClassLoader()
                .getResourceAsStream(KeyEventMessage.ASYNCAPI_RESOURCE)) {
            document = JSON.readTree(Objects.requireNonNull(in, KeyEventMessage.ASYNCAPI_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KafkaContract get() {
        return INSTANCE;
    }

    /** The AsyncAPI document, as read from the class path. */
    public JsonNode document() {
        return document;
    }

    /** Fails with every violation of {@code record} against the contract. */
    public void check(ConsumerRecord<String, String> record) {
        List<String> violations = violations(record);
        if (!violations.isEmpty()) {
            throw new AssertionError("A record on " + record.topic() + " (key " + record.key() + ", offset "
                    + record.offset() + ") breaks the AsyncAPI contract:\n  " + String.join("\n  ", violations)
                    + "\nvalue: " + record.value());
        }
    }

    /** What is wrong with {@code record} against the contract; empty when nothing is. */
    public List<String> violations(ConsumerRecord<String, String> record) {
        List<String> violations = new ArrayList<>();
        ObjectNode headers = JSON.createObjectNode();
        for (Header header : record.headers()) {
            if (headers.has(header.key())) {
                violations.add("header " + header.key() + " appears more than once");
            }
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        JsonNode channel = channel(record.topic());
        if (channel == null) {
            violations.add("no channel of the AsyncAPI document has the address " + record.topic());
            return violations;
        }
        if (record.value() == null) {
            violations.add("a tombstone (null value): the contract has none");
            return violations;
        }
        if (CheckpointRecords.TOPIC.equals(record.topic())) {
            checkpoint(record, channel, headers, violations);
            return violations;
        }
        JsonNode value;
        try {
            value = JSON.readTree(record.value());
        } catch (IOException e) {
            violations.add("the value is not JSON: " + e.getMessage());
            return violations;
        }
        JsonNode message = message(channel, value, headers, violations);
        if (message == null) {
            return violations;
        }
        validate(message.path("payload"), value, "value", violations);
        validate(message.path("headers"), headers, "headers", violations);
        if (KeyEventHeaders.TOPIC.equals(record.topic())) {
            eventBinding(record.key(), headers, value, violations);
        } else if (KeyRevocation.TOPIC.equals(record.topic())) {
            same("record key", record.key(), "key_id", value.path("key_id").asText(null), violations);
            same("header event_id", headers.path(KeyEventHeaders.EVENT_ID).asText(null), "event_id",
                    value.path("event_id").asText(null), violations);
        }
        return violations;
    }

    /**
     * The message of the channel this value is: the only one, or the one its {@code type} names. When that names none,
     * the one header {@code event_type} names, if any, so that every other violation is listed too.
     */
    private JsonNode message(JsonNode channel, JsonNode value, JsonNode headers, List<String> violations) {
        JsonNode messages = channel.path("messages");
        if (messages.size() == 1) {
            return resolve(messages.elements().next());
        }
        String type = value.path("type").asText(null);
        if (type != null && messages.has(type)) {
            return resolve(messages.get(type));
        }
        violations.add("the value's type " + (type == null ? "is missing" : "'" + type + "' names no message")
                + " of channel " + channel.path("address").asText() + " " + fieldNames(messages));
        String announced = headers.path(KeyEventHeaders.EVENT_TYPE).asText(null);
        return announced != null && messages.has(announced) ? resolve(messages.get(announced)) : null;
    }

    /** A text message: the value is validated as a JSON string; the record key is the note's first line (origin). */
    private void checkpoint(ConsumerRecord<String, String> record, JsonNode channel, JsonNode headers,
                            List<String> violations) {
        JsonNode message = resolve(channel.path("messages").elements().next());
        if (!"text/plain".equals(message.path("contentType").asText())) {
            violations.add("the checkpoint message is not documented as text/plain");
        }
        validate(message.path("payload"), JSON.getNodeFactory().textNode(record.value()), "value", violations);
        validate(message.path("headers"), headers, "headers", violations);
        same("record key", record.key(), "the note's origin line", record.value().split("\n", 2)[0], violations);
    }

    /** CloudEvents binary mode: the attributes repeat the value's fields; the old headers too. */
    private static void eventBinding(String key, JsonNode headers, JsonNode value, List<String> violations) {
        String eventId = value.path("event_id").asText(null);
        String keyId = value.path("key_id").asText(null);
        String type = value.path("type").asText(null);
        same("header ce_id", headers.path(KeyEventHeaders.CE_ID).asText(null), "event_id", eventId, violations);
        same("header event_id", headers.path(KeyEventHeaders.EVENT_ID).asText(null), "event_id", eventId, violations);
        same("header ce_subject", headers.path(KeyEventHeaders.CE_SUBJECT).asText(null), "key_id", keyId, violations);
        same("record key", key, "key_id", keyId, violations);
        same("header ce_type", headers.path(KeyEventHeaders.CE_TYPE).asText(null), "the prefixed type",
                type == null ? null : KeyEventMessage.CLOUD_EVENT_TYPE_PREFIX + type, violations);
        same("header event_type", headers.path(KeyEventHeaders.EVENT_TYPE).asText(null), "type", type, violations);
        same("header mode", headers.path(KeyEventHeaders.MODE).asText(null), "mode",
                value.path("mode").asText(null), violations);
        Instant time = instant(headers.path(KeyEventHeaders.CE_TIME).asText(null));
        Instant occurredAt = instant(value.path("occurred_at").asText(null));
        if (time == null || !time.equals(occurredAt)) {
            violations.add("header ce_time " + headers.path(KeyEventHeaders.CE_TIME) + " is not the instant occurred_at "
                    + value.path("occurred_at"));
        }
    }

    private static void same(String what, String actual, String field, String expected, List<String> violations) {
        if (actual == null || !actual.equals(expected)) {
            violations.add(what + " '" + actual + "' differs from " + field + " '" + expected + "'");
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void validate(JsonNode schemaRef, JsonNode instance, String what, List<String> violations) {
        String ref = schemaRef.path("$ref").asText(null);
        if (ref == null || !ref.startsWith("#/")) {
            violations.add("the message's " + what + " schema is not a local $ref: " + schemaRef);
            return;
        }
        JsonSchema schema = schemas.computeIfAbsent(ref, r -> factory.getSchema(
                JSON.createObjectNode().put("$ref", DOCUMENT + r), config));
        for (ValidationMessage message : schema.validate(instance)) {
            violations.add(what + ": " + message.getMessage());
        }
    }

    private JsonNode channel(String topic) {
        for (JsonNode channel : document.path("channels")) {
            if (topic.equals(channel.path("address").asText())) {
                return channel;
            }
        }
        return null;
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        return ref == null ? node : document.at(ref.substring(1));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
