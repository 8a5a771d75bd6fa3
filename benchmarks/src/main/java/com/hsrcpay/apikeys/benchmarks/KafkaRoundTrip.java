package com.hsrcpay.apikeys.benchmarks;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of every revocation's journey: one record sent (idempotent producer, acks=all, no linger: the publisher's
 * settings) to a scratch topic of the same broker and held by a consumer, timed from the send to the consume.
 */
final class KafkaRoundTrip implements AutoCloseable {

    private final String topic = "bench-raw-" + System.nanoTime();
    private final Map<String, Long> consumedAt = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final TailingConsumer consumer;
    private final KafkaProducer<String, String> producer;

    KafkaRoundTrip(String kafka) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        consumer = TailingConsumer.start(kafka, topic, record -> consumedAt.putIfAbsent(record.key(), System.nanoTime()));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Sends one record, waits until the consumer holds it, and answers the nanoseconds in between. */
    long once() throws ExecutionException, InterruptedException {
        String key = "raw-" + sequence.getAndIncrement();
        long sentAt = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key, "{\"n\":\"" + key + "\"}")).get();
        long deadline = sentAt + Duration.ofMinutes(1).toNanos();
        Long consumed;
        while ((consumed = consumedAt.remove(key)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("A raw record did not arrive within a minute");
            }
            // the consumer thread fills the map; a 20 µs park, not a spin: the stack under test shares the cores
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        return consumed - sentAt;
    }

    @Override
    public void close() throws InterruptedException {
        producer.close();
        consumer.close();
    }
}
