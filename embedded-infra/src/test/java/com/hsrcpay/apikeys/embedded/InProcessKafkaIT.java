package com.hsrcpay.apikeys.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InProcessKafkaIT {

    private static final String TOPIC = "durable-events";

    @Test
    void recordsSurviveARestartOnTheSameDirectoryAndPort(@TempDir Path dataDir) throws Exception {
        int port;
        String clusterId;
        RecordMetadata written;
        try (InProcessKafka kafka = InProcessKafka.start(dataDir, 0)) {
            port = kafka.port();
            clusterId = kafka.clusterId();
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(kafka.logDirectory().resolve("meta.properties")).exists();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                written = producer.send(new ProducerRecord<>(TOPIC, "key-1", "value before restart"))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        try (InProcessKafka restarted = InProcessKafka.start(dataDir, port)) {
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(restarted.clusterId()).isEqualTo(clusterId);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "restart-check-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(Set.of(TOPIC));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() -> {
                            consumer.poll(Duration.ofMillis(250)).forEach(received::add);
                            assertThat(received).hasSize(1);
                        });
                ConsumerRecord<String, String> record = received.get(0);
                assertThat(record.key()).isEqualTo("key-1");
                assertThat(record.value()).isEqualTo("value before restart");
                assertThat(record.offset()).isEqualTo(written.offset());
            }
        }
    }

    @Test
    void aPortInUseIsReportedClearly(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> InProcessKafka.start(dataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka")
                    .hasMessageContaining("port " + port + " is already in use");
        }
    }
}
