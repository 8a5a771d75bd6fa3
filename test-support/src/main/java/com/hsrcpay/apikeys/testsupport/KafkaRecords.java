package com.hsrcpay.apikeys.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Reads a topic from its beginning, as a new consumer would. Every record read, whether the filter keeps it or not,
 * is checked against the AsyncAPI contract ({@link KafkaContract}) first: a test cannot read a record the contract
 * refuses.
 */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    /** Every record of {@code topic} matching {@code filter}, once there are at least {@code expected}. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String bootstrapServers, String topic,
                                                             Predicate<ConsumerRecord<String, String>> filter,
                                                             int expected, Duration atMost) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            await().atMost(atMost).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(atMost).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    keep(record, filter, found);
                }
                return found.size() >= expected;
            });
            // anything more that is already there (to prove "exactly")
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                keep(record, filter, found);
            }
        }
        return found;
    }

    /** A consumer of Strings without a group, for tests that read a topic their own way: pass each record to {@link #checked}. */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    }

    /** {@code record}, once checked against the contract (an AssertionError names every violation). */
    public static ConsumerRecord<String, String> checked(ConsumerRecord<String, String> record) {
        KafkaContract.get().check(record);
        return record;
    }

    /**
     * The first record of each {@code event_id} (header), in their order: what a consumer keeps, as the contract
     * tells it to. A later record of the same event id must be the same record (key and value), else AssertionError:
     * a revocation may come from both of its producers, the publisher and the command side's prompt send.
     */
    public static List<ConsumerRecord<String, String>> firstOfEachEvent(List<ConsumerRecord<String, String>> records) {
        Map<String, ConsumerRecord<String, String>> first = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            String eventId = header(record, "event_id");
            ConsumerRecord<String, String> earlier = first.putIfAbsent(eventId, record);
            if (earlier != null && !(earlier.key().equals(record.key()) && earlier.value().equals(record.value()))) {
                throw new AssertionError("Two different records of event " + eventId + ": " + earlier.value()
                        + " and " + record.value());
            }
        }
        return new ArrayList<>(first.values());
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void keep(ConsumerRecord<String, String> record, Predicate<ConsumerRecord<String, String>> filter,
                             List<ConsumerRecord<String, String>> found) {
        if (filter.test(checked(record))) {
            found.add(record);
        }
    }
}
