package com.hsrcpay.apikeys.revocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The record a revocation is on {@code api-key-revocations}: record key the key id, header {@code event_id}, value
 * the JSON of {@link KeyRevocation}. One place for both producers (the query service's publisher, which sends every
 * revocation from the event store, and the command service's prompt send of a key's end), so that a consumer
 * deduplicating on the event id sees the same record from either.
 */
public final class RevocationRecords {

    private static final ObjectMapper JSON = EventJson.newObjectMapper();

    private RevocationRecords() {
    }

    public static ProducerRecord<String, byte[]> of(KeyRevocation revocation) {
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(revocation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A revocation could not be written as JSON", e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KeyRevocation.TOPIC, revocation.keyId(), value);
        record.headers().add(KeyEventHeaders.EVENT_ID, revocation.eventId().getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
