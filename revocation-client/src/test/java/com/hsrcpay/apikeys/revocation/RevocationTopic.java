package com.hsrcpay.apikeys.revocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A compacted revocation topic of its own on a test broker, and a producer for it. */
final class RevocationTopic implements AutoCloseable {

    private static final ObjectMapper JSON = EventJson.newObjectMapper();

    final String bootstrapServers;
    final String name;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;

    private RevocationTopic(String bootstrapServers, String name) {
        this.bootstrapServers = bootstrapServers;
        this.name = name;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    /** A client for a topic name not yet created. */
    static RevocationTopic named(String bootstrapServers) {
        return new RevocationTopic(bootstrapServers, "revocations-" + UUID.randomUUID());
    }

    /** A client for a topic that exists already. */
    static RevocationTopic existing(String bootstrapServers, String name) {
        return new RevocationTopic(bootstrapServers, name);
    }

    /** Creates a new compacted topic with a unique name. */
    static RevocationTopic create(String bootstrapServers, int partitions) {
        RevocationTopic topic = named(bootstrapServers);
        topic.createTopic(partitions);
        return topic;
    }

    void createTopic(int partitions) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        get(() -> admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS));
    }

    void increasePartitionsTo(int partitions) {
        get(() -> admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all()
                .get(30, TimeUnit.SECONDS));
    }

    Set<String> existingTopics() {
        return get(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
    }

    RecordMetadata send(KeyRevocation revocation) {
        return send(null, revocation.keyId(), json(revocation));
    }

    RecordMetadata send(Integer partition, KeyRevocation revocation) {
        return send(partition, revocation.keyId(), json(revocation));
    }

    /** Sends a raw value (null for a tombstone) and waits for the broker's acknowledgement. */
    RecordMetadata send(Integer partition, String key, String value) {
        return get(() -> producer.send(new ProducerRecord<>(name, partition, key, value)).get(30, TimeUnit.SECONDS));
    }

    static String json(KeyRevocation revocation) {
        try {
            return JSON.writeValueAsString(revocation);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T get(Call<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
