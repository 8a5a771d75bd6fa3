package com.hsrcpay.apikeys.eventstore;

import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Appends events to {@code event_store.domain_event_entry} exactly as the service stores them: the payload and the
 * metadata through the same serializer, the chain digest in the metadata, Axon's columns and aggregate type. For bulk
 * data in tests and benchmarks (one COPY, far faster than commands), so that what they load is the real stored form,
 * never JSON written by hand that would drift from it. Not used by the services.
 */
public final class StoredEventWriter implements AutoCloseable {

    private static final String AGGREGATE_TYPE = "ApiKey";
    private static final HexFormat HEX = HexFormat.of();

    private final Serializer serializer;
    private final CopyIn copy;
    private final Map<String, Head> heads = new HashMap<>();

    private record Head(long sequence, String digest) {
    }

    /** Copies into the table over {@code connection} until {@link #close()}; the caller commits. */
    public StoredEventWriter(Connection connection, Serializer serializer) throws SQLException {
        this.serializer = serializer;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                COPY event_store.domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                    meta_data, payload, payload_revision, payload_type, time_stamp) FROM STDIN""");
    }

    /** The serializer the services store events with. */
    public static Serializer storeSerializer() {
        return new EventSerializationAutoConfiguration().serializer();
    }

    /** Appends the next event of its key (sequence numbers and chain digests follow per key, from 0 and genesis). */
    public void append(KeyEvent event) {
        String key = event.keyId().toString();
        Head head = heads.get(key);
        long sequence = head == null ? 0 : head.sequence() + 1;
        String digest = EventChain.digest(head == null ? null : head.digest(), sequence, event);
        heads.put(key, new Head(sequence, digest));
        SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(MetaData.with(EventChain.METADATA_KEY, digest),
                byte[].class);
        Revision revision = event.getClass().getAnnotation(Revision.class);
        String line = String.join("\t", key, Long.toString(sequence), AGGREGATE_TYPE, UUID.randomUUID().toString(),
                bytea(metaData.getData()), bytea(payload.getData()), revision == null ? "\\N" : revision.value(),
                event.getClass().getName(), DateTimeUtils.formatInstant(event.occurredAt())) + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IllegalStateException("The event could not be copied into the store", e);
        }
    }

    /** Ends the COPY; the rows become visible when the caller's transaction commits. */
    @Override
    public void close() {
        try {
            copy.endCopy();
        } catch (SQLException e) {
            throw new IllegalStateException("The events could not be copied into the store", e);
        }
    }

    // COPY's text format: a bytea as \x followed by hex digits, the backslash itself escaped
    private static String bytea(byte[] data) {
        return "\\\\x" + HEX.formatHex(data);
    }
}
