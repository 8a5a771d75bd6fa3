package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.query.processing.PeriodicTask;
import com.hsrcpay.apikeys.query.transparency.Checkpoints;
import com.hsrcpay.apikeys.shared.message.CheckpointRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the checkpoints Kafka has not acknowledged to {@code api-key-checkpoints}, oldest first, each marked
 * published once acknowledged: at least once and in order (one record key, the origin, so one partition). Runs every
 * interval on a daemon thread of its own; a broker outage leaves them unpublished until a later round, and nothing
 * else waits for it (signing goes on).
 */
public class CheckpointPublisher extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);
    private static final int BATCH = 100;

    private final KafkaTemplate<String, byte[]> kafka;
    private final Checkpoints checkpoints;
    private final Duration acknowledgementTimeout;

    public CheckpointPublisher(KafkaTemplate<String, byte[]> kafka, Checkpoints checkpoints,
                               Duration acknowledgementTimeout, Duration interval) {
        super("checkpoint-publisher", interval, interval);
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

    @Override
    protected void round() {
        try {
            publishPending();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("checkpoints not published this round, retrying in {} ms: {}", interval.toMillis(), e.toString());
        }
    }
}
