package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * The change feed on a real broker: a change on a partition it reads evicts at once, and a partition added to the
 * topic later is read too (issue 12, item 6: it was assigned once, so keys on a new partition stayed cached).
 */
class KeyChangeFeedIT {

    private static final Duration PARTITION_CHECK = Duration.ofMillis(500);

    @Test
    void changesOnAPartitionAddedLaterAreSeen() throws Exception {
        String servers = TestKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            if (!admin.listTopics().names().get().contains(KeyEventHeaders.TOPIC)) {
                admin.createTopics(List.of(new NewTopic(KeyEventHeaders.TOPIC, 1, (short) 1))).all().get();
            }
            int partitions = admin.describeTopics(List.of(KeyEventHeaders.TOPIC)).allTopicNames().get()
                    .get(KeyEventHeaders.TOPIC).partitions().size();
            Set<UUID> changed = ConcurrentHashMap.newKeySet();
            KeyChangeFeed feed = new KeyChangeFeed(servers, changed::add, PARTITION_CHECK);
            feed.start();
            try {
                UUID onFirst = UUID.randomUUID();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    producer.send(new ProducerRecord<>(KeyEventHeaders.TOPIC, 0, onFirst.toString(), "{}")).get();
                    return changed.contains(onFirst);
                });

                admin.createPartitions(Map.of(KeyEventHeaders.TOPIC, NewPartitions.increaseTo(partitions + 1)))
                        .all().get();
                UUID onAdded = UUID.randomUUID();
                producer.send(new ProducerRecord<>(KeyEventHeaders.TOPIC, partitions, onAdded.toString(), "{}")).get();
                await().atMost(PARTITION_CHECK.multipliedBy(20))
                        .until(() -> changed.contains(onAdded));
            } finally {
                feed.stop();
            }
        }
    }
}
