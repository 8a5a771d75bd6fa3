package com.hsrcpay.apikeys.command.key.revocation;

import com.hsrcpay.apikeys.revocation.RevocationRecords;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.message.Revocations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A key's end goes to Kafka after its commit, off the committing thread, and never instead of a rollback. */
class PromptRevocationsTest {

    private static final AccountId ACCOUNT = new AccountId("acct_prompt");
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private static final Actor USER = new Actor(Actor.Type.USER, "user_1");
    private static final String FIRST = "a".repeat(64);
    private static final String SECOND = "b".repeat(64);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<PromptRevocations> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(PromptRevocations::close);
    }

    @Test
    void aDeletedKeyWithOneSecretIsSentAfterItsCommitAsTheRecordThePublisherSends() {
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        PromptRevocations prompt = start(kafka, () -> true, 16);
        EventMessage<?> deleted = message(deleted(List.of(FIRST)));

        UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
        dispatch(prompt, deleted);
        assertThat(kafka.history()).as("nothing before the commit").isEmpty();
        command.commit();

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 1);
        ProducerRecord<String, byte[]> sent = kafka.history().get(0);
        ProducerRecord<String, byte[]> publishers = RevocationRecords.of(
                Revocations.of((KeyEvent) deleted.getPayload(), deleted.getIdentifier()).orElseThrow());
        assertThat(sent.topic()).isEqualTo(KeyRevocation.TOPIC);
        assertThat(sent.key()).isEqualTo(publishers.key());
        assertThat(sent.value()).isEqualTo(publishers.value());
        assertThat(sent.headers()).isEqualTo(publishers.headers());
        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 1);
    }

    @Test
    void aRolledBackCommandSendsNothing() {
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        PromptRevocations prompt = start(kafka, () -> true, 16);

        UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
        dispatch(prompt, message(deleted(List.of(FIRST))));
        command.rollback();
        prompt.close(); // waits for the sender's queue to drain

        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void onlyAKeysEndWithASingleSecretIsSentPromptly() {
        KeyId key = new KeyId(UUID.randomUUID());
        assertThat(PromptRevocations.promptFor(deleted(List.of(FIRST)), "e1")).isPresent();
        assertThat(PromptRevocations.promptFor(new KeyRevoked(key, ACCOUNT, Mode.LIVE,
                new ApplicationId(UUID.randomUUID()), List.of(FIRST), USER, AT, "req_2"), "e2")).isPresent();
        // a previous secret was revoked before: its record could arrive after this one
        assertThat(PromptRevocations.promptFor(deleted(List.of(FIRST, SECOND)), "e3")).isEmpty();
        // the key lives on: arriving after its end, this record would be the latest of a key that looks alive
        assertThat(PromptRevocations.promptFor(new SecretRetired(key, ACCOUNT, Mode.LIVE, null, FIRST, List.of(FIRST),
                Actor.system("rotation-grace"), AT, "deadline:1"), "e4")).isEmpty();
        assertThat(PromptRevocations.promptFor(new KeyActivated(key, ACCOUNT, Mode.LIVE, USER, AT, "req_3"), "e5"))
                .isEmpty();
    }

    @Test
    void aBrokerThatDoesNotAnswerNeverHoldsTheCommittingThreadAndWhatDoesNotFitIsLeftToThePublisher()
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                entered.countDown();
                try {
                    released.await(); // a send waiting for metadata that does not come
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        };
        PromptRevocations prompt = start(kafka, () -> true, 2);

        commit(prompt, message(deleted(List.of(FIRST))));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the sender is stuck in its first send").isTrue();
        for (int i = 0; i < 5; i++) {
            commit(prompt, message(deleted(List.of(FIRST))));
        }

        assertThat(count("dropped")).as("two wait in the queue, three are left to the publisher").isEqualTo(3);
        released.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 3);
    }

    @Test
    void nothingIsSentBeforeTheTopicExists() {
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        AtomicBoolean exists = new AtomicBoolean(false);
        PromptRevocations prompt = start(kafka, exists::get, 16);

        commit(prompt, message(deleted(List.of(FIRST))));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1);
        assertThat(kafka.history()).isEmpty();

        exists.set(true);
        commit(prompt, message(deleted(List.of(FIRST))));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 1);
    }

    private PromptRevocations start(MockProducer<String, byte[]> kafka, BooleanSupplier topic,
                                    int queue) {
        PromptRevocations prompt = new PromptRevocations(kafka, topic, queue, meters);
        started.add(prompt);
        return prompt;
    }

    private static void dispatch(PromptRevocations prompt, EventMessage<?> message) {
        assertThat(prompt.handle(List.of(message)).apply(0, message)).isSameAs(message);
    }

    private static void commit(PromptRevocations prompt, EventMessage<?> message) {
        UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
        dispatch(prompt, message);
        command.commit();
    }

    private double count(String outcome) {
        return meters.get(PromptRevocations.SENDS).tag("outcome", outcome).counter().count();
    }

    private static KeyDeleted deleted(List<String> secrets) {
        return new KeyDeleted(new KeyId(UUID.randomUUID()), ACCOUNT, Mode.LIVE, null, secrets, USER, AT, "req_1");
    }

    private static EventMessage<?> message(KeyEvent event) {
        return new GenericDomainEventMessage<>("ApiKey", event.keyId().toString(), 3, event);
    }
}
