package com.hsrcpay.apikeys.query.publishing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.revocation.RevocationRecords;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyEventMessages;
import com.hsrcpay.apikeys.shared.message.Revocations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every key event to {@code api-key-events} and every revocation to {@code api-key-revocations},
 * from a streaming processor of its own: the event store is the outbox. Sends of one batch go out together
 * and the processor's token advances only once Kafka acknowledged all of them, so a broker outage delays
 * records (the segment retries with backoff) but never loses one, and never fails a command. At least once,
 * in per-key order (record key = key id); consumers deduplicate on the event_id header.
 *
 * <p>An event goes out as its published message ({@link KeyEventMessages}, never the stored form) in a CloudEvent
 * ({@link KeyEventRecords}). The AsyncAPI document in shared-events describes both topics.
 */
@Component
@ProcessingGroup(KeyEventPublisher.GROUP)
public class KeyEventPublisher {

    public static final String GROUP = "kafka-publisher";
    public static final String PUBLISH_TIMER = "kms.kafka.publish";
    private static final String PENDING = KeyEventPublisher.class.getName() + ".pending";

    private final KafkaTemplate<String, byte[]> kafka;
    private final ObjectMapper json = EventJson.newObjectMapper();
    private final Duration acknowledgementTimeout;
    private final KeyEventRecords records;
    private final MeterRegistry meters;

    public KeyEventPublisher(KafkaTemplate<String, byte[]> kafka,
                             KafkaSettings settings,
                             ObjectProvider<MeterRegistry> meters) {
        this.kafka = kafka;
        this.acknowledgementTimeout = Duration.ofMillis(settings.ackTimeoutMs());
        this.records = new KeyEventRecords(settings.eventSource(), json);
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** A send, timed from the call to Kafka's acknowledgement as {@value #PUBLISH_TIMER} by topic and outcome. */
    private CompletableFuture<?> send(ProducerRecord<String, byte[]> record) {
        Timer.Sample sample = Timer.start(meters);
        return kafka.send(record).whenComplete((result, failure) -> sample.stop(Timer.builder(PUBLISH_TIMER)
                .description("Kafka publish latency, send to acknowledgement")
                .tag("topic", record.topic())
                .tag("outcome", failure == null ? "success" : "error")
                .publishPercentileHistogram()
                .register(meters)));
    }

    @EventHandler
    void on(KeyEvent event, EventMessage<?> message) {
        List<CompletableFuture<?>> pending = pendingSends();
        // the revocation first: with no linger it leaves in the producer's first request, not behind the key event
        Revocations.of(event, message.getIdentifier())
                .ifPresent(revocation -> pending.add(send(RevocationRecords.of(revocation))));
        pending.add(send(records.of(KeyEventMessages.of(event, message.getIdentifier(), sequenceNumber(message)))));
    }

    private static long sequenceNumber(EventMessage<?> message) {
        if (message instanceof DomainEventMessage<?> domain) {
            return domain.getSequenceNumber();
        }
        // key events are appended by the key aggregate only: anything else is a bug to see, not to publish
        throw new IllegalStateException("A key event that is not a domain event: " + message.getIdentifier());
    }

    /** The sends of the current batch; the batch commits (and the token moves) only after all are acknowledged. */
    private List<CompletableFuture<?>> pendingSends() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(PENDING, name -> {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> awaitAcknowledgements(sends));
            return sends;
        });
    }

    private void awaitAcknowledgements(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailable("Kafka did not acknowledge " + sends.size() + " records; the batch will be retried", e);
        }
    }

    /** Kafka refused or did not answer in time: the processor backs off and retries the batch. */
    static class KafkaUnavailable extends RuntimeException {
        KafkaUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
