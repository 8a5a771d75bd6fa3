package com.hsrcpay.apikeys.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RestartableKafkaIT {

    @Test
    void recordsSurviveAnOutageAndTheBrokerServesAgainOnTheSameAddress() throws Exception {
        String topic = "outage-" + UUID.randomUUID();
        try (RestartableKafka kafka = RestartableKafka.start()) {
            String bootstrapServers = kafka.bootstrapServers();
            assertThat(kafka.isRunning()).isTrue();
            try (KafkaProducer<String, String> producer = producer(bootstrapServers, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "key-1", "before outage")).get(30, TimeUnit.SECONDS);
            }

            kafka.stop();

            assertThat(kafka.isRunning()).isFalse();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
            assertThat(accepts(bootstrapServers)).as("port closed while stopped").isFalse();
            try (KafkaProducer<String, String> producer = producer(bootstrapServers, Map.of(
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000))) {
                // depending on the client's state the metadata wait (max.block.ms) or the delivery times out
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "key-2", "during outage"))
                        .get(30, TimeUnit.SECONDS))
                        .hasRootCauseInstanceOf(TimeoutException.class);
            }

            kafka.restart();

            assertThat(kafka.isRunning()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
            try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                            assertThat(received).extracting(ConsumerRecord::value).containsExactly("before outage");
                        });

                try (KafkaProducer<String, String> producer = producer(bootstrapServers, Map.of())) {
                    producer.send(new ProducerRecord<>(topic, "key-3", "after restart")).get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                            assertThat(received).extracting(ConsumerRecord::value)
                                    .containsExactly("before outage", "after restart");
                        });
            }
        }
    }

    @Test
    void closeStopsTheBrokerAndLaterUseIsRefused() {
        RestartableKafka kafka = RestartableKafka.start();
        String bootstrapServers = kafka.bootstrapServers();

        kafka.close();
        kafka.close();

        assertThat(kafka.isRunning()).isFalse();
        assertThat(accepts(bootstrapServers)).isFalse();
        assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"));
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "outage-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
    }

    /** Whether something listens on {@code localhost:<port>}. */
    private static boolean accepts(String bootstrapServers) {
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
