package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tails {@code api-key-events} from its end (every partition, no consumer group: each instance sees every
 * event) and reports which key changed, so caches drop a key within milliseconds of any change.
 */
public class KeyChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyChangeFeed.class);

    private final String bootstrapServers;
    private final Consumer<UUID> onChange;
    private volatile boolean running;
    private Thread thread;

    public KeyChangeFeed(String bootstrapServers, Consumer<UUID> onChange) {
        this.bootstrapServers = bootstrapServers;
        this.onChange = onChange;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::tail, "kms-key-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void tail() {
        while (running) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false))) {
                List<TopicPartition> partitions = consumer.partitionsFor(KeyEventHeaders.TOPIC, Duration.ofSeconds(5))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    pause();
                    continue;
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        changed(record.key());
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Key change feed interrupted ({}); reconnecting", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void changed(String keyId) {
        try {
            onChange.accept(UUID.fromString(keyId));
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring a record on {} whose key is not a key id", KeyEventHeaders.TOPIC);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000); // topic missing or broker away: look again shortly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
