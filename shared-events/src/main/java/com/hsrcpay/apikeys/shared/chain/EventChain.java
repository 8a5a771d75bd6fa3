package com.hsrcpay.apikeys.shared.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.json.EventJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The hash chain over a key's events, the one place that defines it: the aggregate writes each event's digest into
 * the event's metadata ({@value #METADATA_KEY}), the query side recomputes it from the stored rows.
 *
 * <p>{@code digest(n) = hex(SHA-256(digest(n-1) "\n" aggregateId "\n" sequenceNumber "\n" eventType "\n"
 * occurredAt "\n" canonical(payload)))}, with {@code digest(-1)} = {@link #GENESIS} (64 zeros). {@code eventType}
 * is the simple class name (e.g. {@code KeyCreated}), {@code occurredAt} the event's ISO-8601 instant as
 * {@link Instant#toString()} renders it, and the canonical JSON is the payload as stored (the {@link EventJson} form)
 * with object keys sorted, no whitespace, integers as plain digits and other numbers as their shortest plain decimal.
 * An edited payload, sequence number, type or reordering changes the digest of that event and of every later one.
 */
public final class EventChain {

    /** Event metadata: the chain digest of the event. */
    public static final String METADATA_KEY = "chainDigest";
    /** The digest "before" a key's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = EventJson.newObjectMapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

    private EventChain() {
    }

    /** The digest of {@code event}, the {@code sequenceNumber}-th of its key, after {@code previous} (null: genesis). */
    public static String digest(String previous, long sequenceNumber, KeyEvent event) {
        JsonNode payload = CANONICAL.valueToTree(event);
        return digest(previous, event.keyId().toString(), sequenceNumber, event.getClass().getSimpleName(),
                event.occurredAt(), payload);
    }

    /**
     * The digest of a stored event row: its payload JSON as stored and its payload type (a class name; only the
     * simple name counts). Throws {@link IllegalArgumentException} when the payload is not JSON or has no
     * {@code occurredAt} instant (an edited row that no longer parses).
     */
    public static String digestOfStored(String previous, String aggregateId, long sequenceNumber, String payloadType,
                                        byte[] payloadJson) {
        JsonNode payload;
        try {
            payload = CANONICAL.readTree(payloadJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON", e);
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload is not a JSON object");
        }
        JsonNode occurred = payload.get("occurredAt");
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurred == null ? "" : occurred.asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("payload has no occurredAt instant", e);
        }
        return digest(previous, aggregateId, sequenceNumber, simpleName(payloadType), occurredAt, payload);
    }

    /** The general form: see the class comment. */
    public static String digest(String previous, String aggregateId, long sequenceNumber, String eventType,
                                Instant occurredAt, JsonNode payload) {
        StringBuilder text = new StringBuilder(512)
                .append(previous == null ? GENESIS : previous).append('\n')
                .append(aggregateId).append('\n')
                .append(sequenceNumber).append('\n')
                .append(eventType).append('\n')
                .append(occurredAt).append('\n');
        canonical(payload, text);
        return sha256(text.toString());
    }


    private static void canonical(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(TextNode.valueOf(names.get(i)).toString()).append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            boolean first = true;
            while (elements.hasNext()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                canonical(elements.next(), out);
            }
            out.append(']');
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            java.math.BigDecimal value = node.decimalValue().stripTrailingZeros();
            out.append(value.signum() == 0 ? "0" : value.toPlainString());
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            out.append(node.toString()); // JSON-quoted and escaped
        } else if (node.isBinary()) {
            out.append(TextNode.valueOf(node.asText()).toString());
        } else {
            out.append(node.toString());
        }
    }

    /** The stored digest in a metadata JSON object, or null. */
    public static String storedDigest(byte[] metaDataJson) {
        try {
            JsonNode meta = CANONICAL.readTree(metaDataJson);
            JsonNode digest = meta == null ? null : meta.get(METADATA_KEY);
            return digest == null || !digest.isTextual() ? null : digest.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The stored digest in deserialized metadata, or null. */
    public static String storedDigest(Map<String, ?> metaData) {
        Object digest = metaData == null ? null : metaData.get(METADATA_KEY);
        return digest instanceof String text ? text : null;
    }

    static String simpleName(String typeName) {
        if (typeName == null) {
            return "";
        }
        int cut = Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$'));
        return typeName.substring(cut + 1);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
