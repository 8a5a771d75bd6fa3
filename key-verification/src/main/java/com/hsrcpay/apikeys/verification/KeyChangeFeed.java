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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tails {@code api-key-events} from its end (every partition, no consumer group: each instance sees every
 * event) and reports which key changed, so caches drop a key within milliseconds of any change. A partition added to
 * the topic later is found within {@link #PARTITION_CHECK} (5 s) and read from its beginning (all of it is news).
 */
public class KeyChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyChangeFeed.class);
    static final Duration PARTITION_CHECK = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private final Consumer<UUID> onChange;
    private final Duration partitionCheck;
    private volatile boolean running;
    private Thread thread;

    public KeyChangeFeed(String bootstrapServers, Consumer<UUID> onChange) {
        this(bootstrapServers, onChange, PARTITION_CHECK);
    }

    /** With another interval between partition checks (tests, so they wait less). */
    KeyChangeFeed(String bootstrapServers, Consumer<UUID> onChange, Duration partitionCheck) {
        this.bootstrapServers = bootstrapServers;
        this.onChange = onChange;
        this.partitionCheck = partitionCheck;
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
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                    // partitionsFor answers from the metadata cache: as fresh as the partition check needs
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) partitionCheck.toMillis()))) {
                Set<TopicPartition> assigned = new HashSet<>(partitions(consumer));
                if (assigned.isEmpty()) {
                    pause();
                    continue;
                }
                consumer.assign(assigned);
                consumer.seekToEnd(assigned);
                long nextCheck = System.nanoTime() + partitionCheck.toNanos();
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        changed(record.key());
                    }
                    if (System.nanoTime() >= nextCheck) {
                        Set<TopicPartition> added = new HashSet<>(partitions(consumer));
                        added.removeAll(assigned);
                        if (!added.isEmpty()) {
                            assigned.addAll(added);
                            consumer.assign(assigned); // keeps the positions of the partitions already assigned
                            consumer.seekToBeginning(added);
                            log.info("Key change feed reads {} new partition(s) of {}", added.size(),
                                    KeyEventHeaders.TOPIC);
                        }
                        nextCheck = System.nanoTime() + partitionCheck.toNanos();
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

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        return consumer.partitionsFor(KeyEventHeaders.TOPIC, Duration.ofSeconds(5)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
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
