package com.hsrcpay.apikeys.query.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyEventMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The {@code api-key-events} record of a published message: a CloudEvent written by the CloudEvents SDK's Kafka
 * binding in binary mode (attributes as {@code ce_*} headers, {@code content-type}, the message as the value), plus
 * the headers the topic had before the binding ({@code event_type}, {@code event_id}, {@code mode},
 * {@code revision}), kept because consumers read them (deduplication on {@code event_id} among them).
 */
final class KeyEventRecords {

    private final URI source;
    private final ObjectMapper json;

    KeyEventRecords(URI source, ObjectMapper json) {
        this.source = source;
        this.json = json;
    }

    ProducerRecord<String, byte[]> of(KeyEventMessage message) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(message.eventId())
                .withSource(source)
                .withType(KeyEventMessage.CLOUD_EVENT_TYPE_PREFIX + message.type())
                .withTime(OffsetDateTime.ofInstant(message.occurredAt(), ZoneOffset.UTC))
                .withSubject(message.keyId())
                .withDataContentType("application/json")
                .withData(bytes(message))
                .build();
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter(KeyEventHeaders.TOPIC, message.keyId())
                .writeBinary(event);
        header(record, KeyEventHeaders.EVENT_TYPE, message.type());
        header(record, KeyEventHeaders.EVENT_ID, message.eventId());
        header(record, KeyEventHeaders.MODE, message.mode());
        header(record, KeyEventHeaders.REVISION, KeyEventMessage.REVISION);
        return record;
    }

    private byte[] bytes(KeyEventMessage message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A key event message could not be written as JSON", e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
