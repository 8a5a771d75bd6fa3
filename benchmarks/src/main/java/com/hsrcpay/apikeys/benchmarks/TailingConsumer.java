package com.hsrcpay.apikeys.benchmarks;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A consumer that reads new records of every partition from now on, on a thread of its own. */
final class TailingConsumer implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private TailingConsumer(Thread thread) {
        this.thread = thread;
    }

    static TailingConsumer start(String kafka, String topic,
                                 java.util.function.Consumer<ConsumerRecord<String, String>> onRecord)
            throws InterruptedException {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.partitionsFor(topic).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // the topic is created by the service at start
        }
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything is produced
        TailingConsumer[] self = new TailingConsumer[1];
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (self[0] == null || self[0].running.get()) {
                    consumer.poll(Duration.ofMillis(50)).forEach(onRecord);
                }
            }
        }, "bench-consumer-" + topic);
        self[0] = new TailingConsumer(thread);
        thread.start();
        return self[0];
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
