package com.hsrcpay.apikeys.command.key.revocation;

import com.hsrcpay.apikeys.revocation.RevocationRecords;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.message.Revocations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Sends the revocation of a key's end to {@code api-key-revocations} as soon as the command that ended it commits,
 * milliseconds ahead of the query service's publisher, which reaches it only through the store's NOTIFY, a fetch
 * and its processor. The publisher still sends every revocation from the event store (the outbox, at least once, in
 * per-key order): this send is a duplicate with the same {@code event_id}, and it is best effort. It never runs on
 * the committing thread and never fails or delays a command: a full queue, a broker that does not answer and a
 * refused send only leave the record to the publisher (counted as {@value #SENDS} by outcome).
 *
 * <p>Only a record that revokes the key and names its only secret is sent: no record of that key can say less, so
 * however it interleaves with the publisher's records (a key revoked and deleted at once), every consumer, a deny-list,
 * one that keeps the latest record per key, and compaction itself, ends with the key revoked. A rotation's record is
 * never sent here: arriving after the key's end, it would be the latest record of a key that looks alive.
 *
 * <p>Nothing is sent before the topic exists (the query service creates it, compacted): a producer asking for a
 * topic the broker does not know may have it created with the broker's defaults.
 */
public final class PromptRevocations implements MessageDispatchInterceptor<EventMessage<?>>, AutoCloseable {

    public static final String SENDS = "kms.revocations.prompt";
    private static final Logger log = LoggerFactory.getLogger(PromptRevocations.class);

    private final Producer<String, byte[]> producer;
    private final BooleanSupplier topicExists;
    private final ThreadPoolExecutor sender;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    /** Set once the topic was seen; read and written on the sender's thread only. */
    private boolean topicSeen;

    public PromptRevocations(Producer<String, byte[]> producer, BooleanSupplier topicExists, int queue,
                             MeterRegistry meters) {
        this.producer = producer;
        this.topicExists = topicExists;
        // one thread: a send waits for metadata only when the broker is unknown or gone, and then every send would
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), task -> {
            Thread thread = new Thread(task, "prompt-revocations");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.sent = outcome(meters, "sent");
        this.failed = outcome(meters, "failed");
        this.dropped = outcome(meters, "dropped");
        // the broker's metadata before the first revocation needs it, not on its way
        sender.execute(this::warmUp);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder(SENDS).description("Revocations sent straight after their commit, by outcome")
                .tag("outcome", outcome).register(meters);
    }

    /** The record sent after the commit for this event, if any: a key's end with a single secret. */
    static Optional<KeyRevocation> promptFor(KeyEvent event, String eventId) {
        return Revocations.of(event, eventId)
                .filter(revocation -> revocation.keyRevoked() && revocation.revokedSecretSha256s().size() == 1);
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            if (message.getPayload() instanceof KeyEvent event) {
                promptFor(event, message.getIdentifier()).ifPresent(revocation -> CurrentUnitOfWork.ifStarted(
                        // this unit's after-commit: a nested unit's waits for the root's commit, and a rollback skips it
                        unitOfWork -> unitOfWork.afterCommit(committed -> hand(RevocationRecords.of(revocation)))));
            }
            return message;
        };
    }

    private void hand(ProducerRecord<String, byte[]> record) {
        try {
            sender.execute(() -> send(record));
        } catch (RejectedExecutionException full) {
            dropped.increment();
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        if (!topicSeen()) {
            failed.increment();
            return;
        }
        try {
            producer.send(record, (metadata, failure) -> (failure == null ? sent : failed).increment());
        } catch (RuntimeException e) {
            // no metadata within max.block.ms, or the producer closing: the publisher sends it
            failed.increment();
            log.debug("Revocation of key {} left to the publisher: {}", record.key(), e.toString());
        }
    }

    private boolean topicSeen() {
        if (!topicSeen) {
            topicSeen = topicExists.getAsBoolean();
        }
        return topicSeen;
    }

    private void warmUp() {
        if (!topicSeen()) {
            return;
        }
        try {
            producer.partitionsFor(KeyRevocation.TOPIC);
        } catch (RuntimeException e) {
            log.debug("No metadata of {} yet: {}", KeyRevocation.TOPIC, e.toString());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
