package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.shared.message.CheckpointRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the checkpoints Kafka has not acknowledged to {@code api-key-checkpoints}, oldest first, each marked
 * published once acknowledged: at least once and in order (one record key, the origin, so one partition). A broker
 * outage leaves them unpublished until the next attempt; nothing else waits for it.
 */
public class CheckpointPublisher {

    private static final int BATCH = 100;

    private final KafkaTemplate<String, byte[]> kafka;
    private final Checkpoints checkpoints;
    private final Duration acknowledgementTimeout;

    public CheckpointPublisher(KafkaTemplate<String, byte[]> kafka, Checkpoints checkpoints,
                               Duration acknowledgementTimeout) {
        this.kafka = kafka;
        this.checkpoints = checkpoints;
        this.acknowledgementTimeout = acknowledgementTimeout;
    }

    /** Publishes what is pending; returns how many were acknowledged. */
    public int publishPending() throws InterruptedException, ExecutionException, TimeoutException {
        int sent = 0;
        for (Checkpoints.Signed checkpoint : checkpoints.unpublished(BATCH)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(CheckpointRecords.TOPIC, checkpoints.origin(),
                    checkpoint.note().getBytes(StandardCharsets.UTF_8));
            record.headers().add(CheckpointRecords.CONTENT_TYPE,
                    CheckpointRecords.TEXT_PLAIN.getBytes(StandardCharsets.UTF_8));
            kafka.send(record).get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
            checkpoints.published(checkpoint.treeSize());
            sent++;
        }
        return sent;
    }
}
