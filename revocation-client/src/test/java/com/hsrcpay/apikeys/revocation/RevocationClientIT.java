package com.hsrcpay.apikeys.revocation;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.message.KeyRevocation.Reason;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.hsrcpay.apikeys.revocation.RevocationListTest.newSecret;
import static com.hsrcpay.apikeys.revocation.RevocationListTest.revocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Against the real (in-process or Testcontainers) broker of {@link TestKafka}; one topic per test. */
class RevocationClientIT {

    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);

    private static String bootstrapServers;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<KeyRevocation> notified = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void broker() {
        bootstrapServers = TestKafka.bootstrapServers();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void bootstrapReadsTheRecordsAlreadyOnEveryPartition() throws Exception {
        RevocationTopic topic = topic(3);
        List<String> secrets = List.of(newSecret(), newSecret(), newSecret());
        List<UUID> keys = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            topic.send(i, revocation(keys.get(i), Reason.REVOKED, true, secrets.get(i)));
        }

        RevocationClient client = startedClient(topic);

        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        // no waiting beyond the bootstrap: everything published before start is in the list
        for (int i = 0; i < 3; i++) {
            assertThat(client.revocationList().isRevoked(secrets.get(i))).isTrue();
            assertThat(client.revocationList().isKeyRevoked(keys.get(i))).isTrue();
        }
        assertThat(client.isBootstrapped()).isTrue();
        assertThat(notified).hasSize(3);
        RevocationClient.Stats stats = client.stats();
        assertThat(stats.recordsApplied()).isEqualTo(3);
        assertThat(stats.bootstrapped()).isTrue();
        assertThat(stats.running()).isTrue();
        assertThat(stats.lastRecordReceivedAt()).isNotNull();
        assertThat(stats.lastRecordTimestamp()).isNotNull();
    }

    @Test
    void bootstrapOfAnEmptyTopicCompletes() throws Exception {
        RevocationClient client = startedClient(topic(2));

        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        assertThat(client.revocationList().revokedSecretCount()).isZero();
        assertThat(client.stats().lastRecordReceivedAt()).isNull();
    }

    @Test
    void recordPublishedAfterStartIsAppliedQuicklyAndNotifiedOnce() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        String secret = newSecret();
        KeyRevocation revocation = revocation(UUID.randomUUID(), Reason.REVOKED, true, secret);

        long sent = System.nanoTime();
        topic.send(revocation);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> client.revocationList().isRevoked(secret));
        long latencyMs = (System.nanoTime() - sent) / 1_000_000;
        org.slf4j.LoggerFactory.getLogger(RevocationClientIT.class).info("revocation visible {} ms after the send started", latencyMs);

        assertThat(latencyMs).as("publish-to-revoked latency").isLessThan(2_000);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(notified).containsExactly(revocation));
        assertThat(client.stats().recordsApplied()).isEqualTo(1);
    }

    @Test
    void redeliveredRecordIsNotNotifiedTwice() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        KeyRevocation revocation = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());
        KeyRevocation marker = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());

        topic.send(revocation);
        topic.send(revocation); // at-least-once publishing: the same event again
        topic.send(marker);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isKeyRevoked(marker.keyId()));
        assertThat(notified).containsExactly(revocation, marker);
        assertThat(client.stats().recordsApplied()).isEqualTo(2);
        assertThat(client.stats().duplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void rotationRevokesTheOldSecretButNotTheKey() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        UUID keyId = UUID.randomUUID();
        String oldSecret = newSecret();
        String newSecret = newSecret();

        topic.send(revocation(keyId, Reason.ROTATED, false, oldSecret));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isRevoked(oldSecret));
        assertThat(client.revocationList().isKeyRevoked(keyId)).isFalse();
        assertThat(client.revocationList().isRevoked(newSecret)).isFalse();
        assertThat(notified).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(Reason.ROTATED));

        // then the key is revoked: its latest record names both secrets
        topic.send(revocation(keyId, Reason.REVOKED, true, newSecret, oldSecret));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isKeyRevoked(keyId));
        assertThat(client.revocationList().isRevoked(newSecret)).isTrue();
    }

    @Test
    void tombstoneNeverUnRevokes() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        UUID keyId = UUID.randomUUID();
        String secret = newSecret();
        KeyRevocation marker = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());

        topic.send(revocation(keyId, Reason.REVOKED, true, secret));
        topic.send(null, keyId.toString(), null);
        topic.send(marker);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isKeyRevoked(marker.keyId()));
        assertThat(client.revocationList().isRevoked(secret)).isTrue();
        assertThat(client.revocationList().isKeyRevoked(keyId)).isTrue();
        assertThat(client.stats().tombstonesIgnored()).isEqualTo(1);
        assertThat(notified).hasSize(2);

        // a client bootstrapping from the same log (revocation, then tombstone) also keeps the key revoked
        RevocationClient fresh = startedClient(topic);
        assertThat(fresh.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        assertThat(fresh.revocationList().isRevoked(secret)).isTrue();
        assertThat(fresh.revocationList().isKeyRevoked(keyId)).isTrue();
    }

    @Test
    void unreadableRecordsAreSkippedAndLaterRecordsApply() throws Exception {
        RevocationTopic topic = topic(1);
        topic.send(null, "k", "{not json");
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        String secret = newSecret();
        KeyRevocation valid = revocation(UUID.randomUUID(), Reason.REVOKED, true, secret);

        topic.send(null, "k", "[1, 2]");
        topic.send(null, "k", "null");
        topic.send(null, "k", "{\"key_id\": 42, \"revoked_at\": \"yesterday\"}");
        topic.send(null, "k", "{\"event_id\": \"e\"}"); // JSON, but nothing to revoke
        topic.send(valid);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isRevoked(secret));
        assertThat(client.stats().invalidRecordsSkipped()).isEqualTo(5);
        assertThat(client.stats().recordsApplied()).isEqualTo(1);
        assertThat(notified).containsExactly(valid);
    }

    @Test
    void unknownReasonFromANewerProducerStillRevokes() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        UUID keyId = UUID.randomUUID();
        String secret = newSecret();
        String value = RevocationTopic.json(revocation(keyId, Reason.REVOKED, true, secret))
                .replace("\"reason\":\"revoked\"", "\"reason\":\"compromised\"");
        assertThat(value).contains("compromised");

        topic.send(null, keyId.toString(), value);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isKeyRevoked(keyId));
        assertThat(client.revocationList().isRevoked(secret)).isTrue();
    }

    @Test
    void partitionsAddedLaterAreReadFromTheirBeginning() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = track(RevocationClient.builder()
                .bootstrapServers(bootstrapServers)
                .topic(topic.name)
                .metadataRefreshInterval(Duration.ofMillis(200))
                .listener(notified::add)
                .build());
        client.start();
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        String secret = newSecret();

        topic.increasePartitionsTo(2);
        topic.send(1, revocation(UUID.randomUUID(), Reason.REVOKED, true, secret));

        await().atMost(Duration.ofSeconds(20)).until(() -> client.revocationList().isRevoked(secret));
    }

    @Test
    void missingTopicIsWaitedForAndNeverCreatedByTheClient() throws Exception {
        RevocationTopic topic = track(RevocationTopic.named(bootstrapServers));
        RevocationClient client = startedClient(topic);

        assertThat(client.awaitBootstrap(Duration.ofMillis(500))).isFalse();
        assertThat(topic.existingTopics()).doesNotContain(topic.name);

        topic.createTopic(1);
        String secret = newSecret();
        topic.send(revocation(UUID.randomUUID(), Reason.EXPIRED, true, secret));

        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.revocationList().isRevoked(secret));
    }

    @Test
    void listenerFailureDoesNotStopTheClient() throws Exception {
        RevocationTopic topic = topic(1);
        RevocationClient client = track(RevocationClient.builder()
                .bootstrapServers(bootstrapServers)
                .topic(topic.name)
                .listener(r -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(r -> {
                    throw new AssertionError("listener assertion");
                })
                .listener(notified::add)
                .build());
        client.start();
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        KeyRevocation first = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());
        KeyRevocation second = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());

        topic.send(first);
        topic.send(second);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notified).containsExactly(first, second));
        assertThat(client.stats().running()).isTrue();
    }

    @Test
    void closeStopsTheThreadAndKeepsTheList() throws Exception {
        RevocationTopic topic = topic(1);
        String secret = newSecret();
        topic.send(revocation(UUID.randomUUID(), Reason.REVOKED, true, secret));
        RevocationClient client = startedClient(topic);
        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();

        client.close();
        client.close();

        assertThat(consumerThreadAlive(topic.name)).isFalse();
        assertThat(client.stats().running()).isFalse();
        assertThat(client.revocationList().isRevoked(secret)).isTrue();
        assertThat(client.awaitBootstrap(Duration.ofMillis(10))).isTrue();
        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> RevocationClient.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> RevocationClient.builder().pollTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        RevocationClient notStarted = RevocationClient.builder()
                .consumerProperty("bootstrap.servers", "localhost:1").build();
        assertThat(notStarted.topic()).isEqualTo(KeyRevocation.TOPIC);
        assertThatThrownBy(() -> notStarted.awaitBootstrap(Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
        notStarted.close();
    }

    @Test
    void sharedListIsFilledByTheClient() throws Exception {
        RevocationTopic topic = topic(1);
        String secret = newSecret();
        topic.send(revocation(UUID.randomUUID(), Reason.DELETED, true, secret));
        RevocationList shared = new RevocationList();
        RevocationClient client = track(RevocationClient.builder()
                .bootstrapServers(bootstrapServers).topic(topic.name).revocationList(shared).build());
        client.start();

        assertThat(client.awaitBootstrap(BOOTSTRAP_TIMEOUT)).isTrue();
        assertThat(client.revocationList()).isSameAs(shared);
        assertThat(shared.isRevokedHash(SecretFormat.sha256(secret))).isTrue();
    }

    private RevocationTopic topic(int partitions) {
        return track(RevocationTopic.create(bootstrapServers, partitions));
    }

    private RevocationClient startedClient(RevocationTopic topic) {
        RevocationClient client = track(RevocationClient.builder()
                .bootstrapServers(topic.bootstrapServers)
                .topic(topic.name)
                .listener(notified::add)
                .build());
        client.start();
        return client;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    static boolean consumerThreadAlive(String topicName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("revocation-client-" + topicName) && t.isAlive());
    }
}
