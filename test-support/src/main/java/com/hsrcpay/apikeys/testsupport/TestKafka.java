package com.hsrcpay.apikeys.testsupport;

import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real Kafka broker per JVM (Testcontainers {@code apache/kafka:3.9.1}, else an in-process KRaft broker; see
 * {@link InfrastructureMode}), started on first use. Topics are auto-created; tests should use unique topic names
 * or consumer groups since the broker is shared by the whole JVM.
 */
public final class TestKafka {

    /** Docker image used when the Docker path is chosen. */
    public static final String IMAGE = "apache/kafka:3.9.1";

    /**
     * Broker settings of the embedded path, aligned with what Testcontainers configures in the container: one
     * partition per topic and single-replica internal topics with one partition (fast first consumer group).
     */
    private static final Map<String, String> EMBEDDED_BROKER_SETTINGS = Map.of(
            "auto.create.topics.enable", "true",
            "offsets.topic.num.partitions", "1",
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0",
            // 2-core machines: fewer idle threads than the broker defaults (3 network, 8 I/O)
            "num.network.threads", "2",
            "num.io.threads", "2");

    private static final SharedServer<Broker> BROKER = new SharedServer<>("Kafka", TestKafka::start, Broker::stop);

    private TestKafka() {
    }

    /**
     * The bootstrap servers ({@code host:port}) of the shared broker, starting it on first call.
     *
     * @throws IllegalStateException if the broker cannot be started
     */
    public static String bootstrapServers() {
        return BROKER.get().bootstrapServers();
    }

    /** Starts the broker on a background thread (if not yet started) so it overlaps with other start-up work. */
    static void startInBackground() {
        BROKER.startInBackground();
    }

    private static Broker start() {
        return switch (InfrastructureSelection.current().mode()) {
            case DOCKER -> startContainer();
            case EMBEDDED -> startEmbedded();
            case AUTO -> throw new IllegalStateException("selection never resolves to auto");
        };
    }

    private static Broker startContainer() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
        container.start();
        return new Broker("Testcontainers " + IMAGE + " " + container.getContainerId(),
                container.getBootstrapServers(), container::stop);
    }

    private static Broker startEmbedded() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(EMBEDDED_BROKER_SETTINGS);
        // by default the broker also writes its address into the JVM-wide system property
        // spring.kafka.bootstrap-servers, which would leak into every Spring context of the JVM
        broker.brokerListProperty(null);
        try {
            broker.afterPropertiesSet();
        }
        catch (RuntimeException ex) {
            try {
                broker.destroy();
            }
            catch (RuntimeException cleanup) {
                ex.addSuppressed(cleanup);
            }
            throw ex;
        }
        return new Broker("embedded KRaft Kafka broker", broker.getBrokersAsString(), broker::destroy);
    }

    /** The running broker, whichever path started it. */
    private record Broker(String description, String bootstrapServers, Runnable stopAction) {

        void stop() {
            stopAction.run();
        }

        @Override
        public String toString() {
            return description + " at " + bootstrapServers;
        }
    }
}
