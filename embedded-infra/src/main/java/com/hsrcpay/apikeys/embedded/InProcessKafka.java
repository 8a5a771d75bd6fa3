package com.hsrcpay.apikeys.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside this JVM on Kafka's own server classes,
 * with its log directory {@code <dataDir>/kafka} kept across restarts.
 *
 * <p>The storage is formatted only when {@code meta.properties} is absent, so topics, records, committed offsets and
 * the cluster id survive a restart. The PLAINTEXT listener binds 127.0.0.1 on the requested port and is advertised as
 * {@code localhost:<port>}; the controller listener takes a free port on every start (static quorum, so the port is not
 * persisted). Sized for a laptop: one partition per topic by default, replication factor 1 and min ISR 1 everywhere,
 * 16 MiB segments, and no time-based retention (local data stays until the directory is deleted).
 */
public final class InProcessKafka implements AutoCloseable {

    /** The port the launcher passes by default. */
    public static final int DEFAULT_PORT = 9092;

    private static final Logger log = LoggerFactory.getLogger(InProcessKafka.class);

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String META_PROPERTIES = "meta.properties";
    private static final String SEGMENT_BYTES = Integer.toString(16 * 1024 * 1024);
    /** Ten years: committed offsets of idle local consumer groups must not expire while the stack is switched off. */
    private static final String OFFSETS_RETENTION_MINUTES = Integer.toString(10 * 365 * 24 * 60);

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDirectory;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessKafka(KafkaRaftServer server, int port, Path logDirectory, String clusterId) {
        this.server = server;
        this.port = port;
        this.logDirectory = logDirectory;
        this.clusterId = clusterId;
    }

    /**
     * Formats {@code <dataDir>/kafka} if it has never been formatted, then starts the broker and controller and
     * returns once the broker is unfenced and serving.
     *
     * @param dataDir the stack's data directory; created if missing
     * @param port    the PLAINTEXT port on 127.0.0.1 (clients use {@code localhost:<port>}), or 0 for a free one
     * @throws IllegalStateException if the port is taken, the log directory is locked by another broker, or the
     *                               broker fails to start
     */
    public static InProcessKafka start(Path dataDir, int port) {
        long startedAt = System.nanoTime();
        Path logDir = dataDir.resolve("kafka").toAbsolutePath().normalize();
        int brokerPort = Ports.freeOrRequested(port, "Kafka");
        int controllerPort = Ports.freePort(); // never the broker's: Ports keeps the ports asked of it
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create Kafka log directory " + logDir + ": " + e, e);
        }

        KafkaConfig config = new KafkaConfig(serverProperties(logDir, brokerPort, controllerPort), false);
        String clusterId = formatIfNeeded(logDir);

        log.info("Starting in-process Kafka (cluster {}) on localhost:{}, controller on 127.0.0.1:{}, log dir {}",
                clusterId, brokerPort, controllerPort, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (Throwable e) {
            stopQuietly(server);
            throw new IllegalStateException("Kafka failed to start on localhost:" + brokerPort + " with log directory "
                    + logDir + ": " + e.getMessage(), e);
        }
        InProcessKafka kafka = new InProcessKafka(server, brokerPort, logDir, clusterId);
        log.info("Kafka ready at {} in {} ms", kafka.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return kafka;
    }

    /** {@code localhost:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** The Kafka log (and metadata log) directory, {@code <dataDir>/kafka}. */
    public Path logDirectory() {
        return logDirectory;
    }

    /** The cluster id written when the directory was formatted; stable across restarts. */
    public String clusterId() {
        return clusterId;
    }

    /** Shuts the broker down (controlled shutdown, logs flushed) and then the controller, and waits. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startedAt = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
            log.info("Kafka on port {} stopped in {} ms", port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        } catch (RuntimeException e) {
            log.warn("Kafka on port {} did not shut down cleanly; its logs are recovered on the next start", port, e);
        }
    }

    @Override
    public String toString() {
        return "InProcessKafka[" + bootstrapServers() + ", " + logDirectory + "]";
    }

    private static Map<String, Object> serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Map<String, Object> p = new HashMap<>();
        // KRaft combined mode, one voter
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir.toString());

        // one node: everything single-replica
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");
        // after a crash the controller rejects the broker's re-registration (DUPLICATE_BROKER_REGISTRATION) until the
        // dead incarnation's session expires: 9 s by default, which made crash restarts take ~15 s
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");

        // laptop sizing
        p.put("log.segment.bytes", SEGMENT_BYTES);
        p.put("offsets.topic.segment.bytes", SEGMENT_BYTES);
        p.put("transaction.state.log.segment.bytes", SEGMENT_BYTES);
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");

        // durable local data: no time-based deletion of records or committed offsets
        p.put("log.retention.ms", "-1");
        p.put("offsets.retention.minutes", OFFSETS_RETENTION_MINUTES);
        return p;
    }

    /** Formats the log directory when {@code meta.properties} is absent; returns the (new or existing) cluster id. */
    private static String formatIfNeeded(Path logDir) {
        Path metaProperties = logDir.resolve(META_PROPERTIES);
        if (Files.exists(metaProperties)) {
            String clusterId = readClusterId(metaProperties);
            log.info("Kafka log directory {} already formatted (cluster {}), keeping its data", logDir, clusterId);
            return clusterId;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString()) // metadata.log.dir defaults to the only log dir
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        log.info("Formatted Kafka log directory {} for new cluster {}: {}", logDir, clusterId,
                output.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }

    private static String readClusterId(Path metaProperties) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + metaProperties + ": " + e.getMessage(), e);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(metaProperties + " has no cluster.id; delete " + metaProperties.getParent()
                    + " to start with an empty Kafka");
        }
        return clusterId;
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (Throwable t) {
            log.debug("Ignoring failure while stopping a Kafka server that failed to start", t);
        }
    }
}
