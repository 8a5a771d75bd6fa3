package com.hsrcpay.apikeys.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@link RevocationList} in step with the compacted topic {@code api-key-revocations}, so that a service
 * stops accepting a revoked key within milliseconds of the revocation being published.
 *
 * <p>Every instance reads every partition from the beginning (manual assignment, no consumer group, no committed
 * offsets): {@link #start()} starts a daemon thread that first reads up to the end offsets of the moment it
 * connected (the bootstrap, see {@link #awaitBootstrap}) and then keeps polling; the broker answers a waiting fetch
 * as soon as a record arrives, so a new revocation is applied within milliseconds. No Kafka, data or listener error
 * stops the thread: a broker outage is logged at WARN and retried; an unparseable record is logged (without its
 * content) and skipped; a tombstone is ignored, as nothing ever un-revokes. Partitions added to the topic later are
 * picked up by a periodic metadata refresh.
 *
 * <pre>{@code
 * RevocationClient client = RevocationClient.builder()
 *         .bootstrapServers("kafka:9092")
 *         .listener(revocation -> sessions.dropKey(revocation.keyId()))
 *         .build();
 * client.start();
 * client.awaitBootstrap(Duration.ofSeconds(30));
 * if (client.revocationList().isRevoked(presentedSecret)) { ... refuse ... }
 * }</pre>
 */
public final class RevocationClient implements AutoCloseable {

    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_METADATA_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /**
     * The broker answers a waiting fetch as soon as a record arrives, so this bounds only an idle fetch and does not
     * set the latency; a very low value (10 ms) measured slower here, from the extra fetch traffic.
     */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 100;

    private static final Logger log = LoggerFactory.getLogger(RevocationClient.class);

    /** Upper bound of the consumer calls that talk to the broker outside {@code poll}. */
    private static final Duration BROKER_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** While a problem persists, it is logged at WARN at most this often. */
    private static final long WARN_INTERVAL_MS = 60_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final RevocationList revocationList;
    private final List<RevocationListener> listeners;
    private final Map<String, Object> consumerConfig;
    private final Duration pollTimeout;
    private final Duration metadataRefreshInterval;
    private final ObjectMapper mapper = EventJson.newObjectMapper();

    private final CountDownLatch bootstrapDone = new CountDownLatch(1);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Object lifecycleLock = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;

    // owned by the consumer thread
    private final Set<TopicPartition> assigned = new HashSet<>();
    private Map<TopicPartition, Long> bootstrapEndOffsets;
    private long bootstrapStartedNanos;
    private long nextRefreshNanos;
    private double fetchesAnsweredAtLastRefresh = -1;
    private long noFetchAnswerSinceNanos;
    private final Problem connectProblem = new Problem();
    private final Problem refreshProblem = new Problem();
    private final Problem pollProblem = new Problem();

    private final AtomicLong recordsApplied = new AtomicLong();
    private final AtomicLong duplicatesSkipped = new AtomicLong();
    private final AtomicLong tombstonesIgnored = new AtomicLong();
    private final AtomicLong invalidRecordsSkipped = new AtomicLong();
    private volatile Instant lastRecordReceivedAt;
    private volatile Instant lastRecordTimestamp;

    private RevocationClient(Builder builder) {
        this.topic = builder.topic;
        this.revocationList = builder.revocationList != null ? builder.revocationList : new RevocationList();
        this.listeners = List.copyOf(builder.listeners);
        this.pollTimeout = builder.pollTimeout;
        this.metadataRefreshInterval = builder.metadataRefreshInterval;

        Map<String, Object> config = new HashMap<>();
        if (builder.bootstrapServers != null) {
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
        }
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "revocation-client-" + UUID.randomUUID().toString().substring(0, 8));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a lost position is re-read from the start: replaying revocations is harmless, skipping them is not
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // never create the compacted topic by accident (it would get the broker's defaults, not compaction)
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, DEFAULT_FETCH_MAX_WAIT_MS);
        // the topic's partition list comes from the metadata cache: keep it as fresh as the refresh interval
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                metadataRefreshInterval.toMillis()));
        config.putAll(builder.consumerProperties);
        if (!config.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalStateException("bootstrap servers are required");
        }
        this.consumerConfig = Map.copyOf(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and starts the consumer thread, which reads the topic from the beginning; returns at once. Use
     * {@link #awaitBootstrap} to wait until what was on the topic at connection time has been applied.
     *
     * @throws IllegalStateException if already started or closed
     * @throws org.apache.kafka.common.KafkaException if the consumer configuration is invalid
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (started) {
                throw new IllegalStateException("already started");
            }
            consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(this::run, "revocation-client-" + topic);
            thread.setDaemon(true);
            started = true;
            thread.start();
        }
    }

    /**
     * Waits until every record that was on the topic when the client connected has been applied.
     *
     * @return true once bootstrapped; false if that did not happen within the timeout (the broker or the topic is
     *         unavailable: the client keeps trying) or the client was closed first
     * @throws IllegalStateException if not started
     */
    public boolean awaitBootstrap(Duration timeout) throws InterruptedException {
        if (!started) {
            throw new IllegalStateException("not started");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (bootstrapDone.await(Math.max(0, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50))),
                    TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (closed || remaining <= 0) {
                return false;
            }
        }
    }

    /** Whether the bootstrap has completed (see {@link #awaitBootstrap}). */
    public boolean isBootstrapped() {
        return bootstrapDone.getCount() == 0;
    }

    /** The list this client keeps up to date; safe to query from any thread at any time. */
    public RevocationList revocationList() {
        return revocationList;
    }

    public String topic() {
        return topic;
    }

    /** Counters since start. */
    public Stats stats() {
        Thread consumerThread = thread;
        return new Stats(recordsApplied.get(), duplicatesSkipped.get(), tombstonesIgnored.get(),
                invalidRecordsSkipped.get(), lastRecordReceivedAt, lastRecordTimestamp, isBootstrapped(),
                !closed && consumerThread != null && consumerThread.isAlive());
    }

    /**
     * Counters of the records read since start.
     *
     * @param recordsApplied        records that changed the list (each told to the listeners once)
     * @param duplicatesSkipped     records that changed nothing: a redelivered event id, or content already known
     * @param tombstonesIgnored     null values (the contract has none; they never un-revoke)
     * @param invalidRecordsSkipped values that are not a readable revocation
     * @param lastRecordReceivedAt  when this client read its latest record of any kind; null before the first
     * @param lastRecordTimestamp   the Kafka timestamp of that record; null before the first
     * @param bootstrapped          whether the bootstrap has completed
     * @param running               whether the consumer thread is running (false before start, after close, and if
     *                              it was stopped by a JVM error such as running out of memory): a health check
     *                              should want it true
     */
    public record Stats(long recordsApplied, long duplicatesSkipped, long tombstonesIgnored, long invalidRecordsSkipped,
                        Instant lastRecordReceivedAt, Instant lastRecordTimestamp, boolean bootstrapped,
                        boolean running) {
    }

    /** Stops the consumer thread and closes the consumer. The list stays readable. Idempotent. */
    @Override
    public void close() {
        Thread toJoin;
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
            stopSignal.countDown();
            if (consumer == null) {
                return;
            }
            consumer.wakeup();
            toJoin = thread;
        }
        if (toJoin == Thread.currentThread()) {
            return; // close() from a listener: the loop ends after this record
        }
        try {
            toJoin.join(CLOSE_TIMEOUT.toMillis());
            if (toJoin.isAlive()) {
                log.warn("Revocation client thread for topic {} did not stop within {}", topic, CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- consumer thread

    private void run() {
        try {
            long backoffMs = 0;
            while (!closed) {
                try {
                    if (assigned.isEmpty()) {
                        if (!assignAllPartitions()) {
                            backoffMs = nextBackoff(backoffMs);
                            pause(backoffMs);
                            continue;
                        }
                    } else if (System.nanoTime() - nextRefreshNanos >= 0) {
                        refresh();
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
                        handle(record);
                    }
                    pollProblem.resolved("Reading revocations from topic " + topic + " works again");
                    if (bootstrapEndOffsets != null) {
                        checkBootstrap();
                    }
                    backoffMs = 0;
                } catch (WakeupException e) {
                    // close(): the loop condition ends it
                } catch (InterruptException e) {
                    Thread.interrupted(); // nobody but close() is meant to stop this thread
                } catch (RuntimeException e) {
                    backoffMs = nextBackoff(backoffMs);
                    pollProblem.warn("Reading revocations from topic {} failed ({}); retrying in {} ms",
                            topic, e, backoffMs);
                    pause(backoffMs);
                }
            }
        } catch (Throwable t) {
            log.error("Revocation client thread for topic {} stopped by an unexpected error", topic, t);
            throw t;
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Closing the revocation consumer for topic {} failed: {}", topic, e.toString());
            }
        }
    }

    /** First connection: assign every partition from the beginning and note where the bootstrap ends. */
    private boolean assignAllPartitions() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, BROKER_CALL_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            connectProblem.warn("Revocation topic {} not found (or not visible to this client); retrying", topic);
            return false;
        }
        Set<TopicPartition> all = toTopicPartitions(partitions);
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(all, BROKER_CALL_TIMEOUT);
        consumer.assign(all);
        consumer.seekToBeginning(all);
        assigned.addAll(all);
        bootstrapEndOffsets = new HashMap<>(endOffsets);
        bootstrapStartedNanos = System.nanoTime();
        nextRefreshNanos = System.nanoTime() + metadataRefreshInterval.toNanos();
        connectProblem.resolved("Revocation topic " + topic + " found");
        log.info("Revocation client reading {} partition(s) of topic {} from the beginning; bootstrap ends at {}",
                all.size(), topic, endOffsets);
        return true;
    }

    /**
     * Periodic check: picks up partitions added to the topic (read from their beginning) and notices a broker that
     * no longer answers. Both without blocking the polling: the partition list comes from the consumer's metadata
     * cache (refreshed every {@code metadata.max.age.ms}), and the broker is judged by whether fetches got answers.
     */
    private void refresh() {
        nextRefreshNanos = System.nanoTime() + metadataRefreshInterval.toNanos();
        checkFetchesAnswered();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, BROKER_CALL_TIMEOUT);
        Set<TopicPartition> added = toTopicPartitions(partitions == null ? List.of() : partitions);
        added.removeAll(assigned);
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned); // keeps the positions of the partitions already assigned
            consumer.seekToBeginning(added);
            log.info("Revocation topic {} has new partition(s) {}: reading them from the beginning", topic, added);
        }
    }

    /**
     * An idle consumer still gets an answer to a fetch every {@code fetch.max.wait.ms}; a refresh interval without
     * any means the broker cannot be reached (the Kafka client logs the connection failures themselves).
     */
    private void checkFetchesAnswered() {
        double answered = fetchesAnswered();
        if (answered < 0) {
            return; // metric not available in this client version
        }
        if (answered > fetchesAnsweredAtLastRefresh) {
            fetchesAnsweredAtLastRefresh = answered;
            noFetchAnswerSinceNanos = 0;
            refreshProblem.resolved("Kafka answers fetches again for revocation topic " + topic);
            return;
        }
        long now = System.nanoTime();
        if (noFetchAnswerSinceNanos == 0) {
            noFetchAnswerSinceNanos = now - metadataRefreshInterval.toNanos();
        }
        refreshProblem.warn("No answer from Kafka for revocation topic {} for {} ms: revocations are delayed; "
                + "still retrying", topic, TimeUnit.NANOSECONDS.toMillis(now - noFetchAnswerSinceNanos));
    }

    /** The consumer's count of fetch responses received, or -1 if it does not report one. */
    private double fetchesAnswered() {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if ("fetch-total".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
                    && !name.tags().containsKey("topic") && metric.getValue().metricValue() instanceof Number n) {
                return n.doubleValue();
            }
        }
        return -1;
    }

    private void checkBootstrap() {
        bootstrapEndOffsets.entrySet()
                .removeIf(end -> consumer.position(end.getKey(), BROKER_CALL_TIMEOUT) >= end.getValue());
        if (bootstrapEndOffsets.isEmpty()) {
            bootstrapEndOffsets = null;
            bootstrapDone.countDown();
            log.info("Revocation client bootstrapped from topic {} in {} ms: {} revoked secret(s), {} revoked key(s)",
                    topic, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bootstrapStartedNanos),
                    revocationList.revokedSecretCount(), revocationList.revokedKeyCount());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        lastRecordReceivedAt = Instant.now();
        lastRecordTimestamp = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null;
        if (record.value() == null) {
            tombstonesIgnored.incrementAndGet();
            log.warn("Ignoring a tombstone on {}-{} at offset {}: revocations are never withdrawn",
                    record.topic(), record.partition(), record.offset());
            return;
        }
        KeyRevocation revocation;
        try {
            revocation = parse(record.value());
        } catch (Exception e) {
            // the exception's message may quote the content: only its type is logged
            invalidRecordsSkipped.incrementAndGet();
            log.warn("Skipping an unreadable revocation on {}-{} at offset {} ({})",
                    record.topic(), record.partition(), record.offset(), e.getClass().getSimpleName());
            return;
        }
        RevocationList.Outcome outcome;
        try {
            outcome = revocationList.applyWithOutcome(revocation);
        } catch (RuntimeException e) {
            invalidRecordsSkipped.incrementAndGet();
            log.warn("Skipping a revocation on {}-{} at offset {} that could not be applied ({})",
                    record.topic(), record.partition(), record.offset(), e.getClass().getSimpleName());
            return;
        }
        switch (outcome) {
            case APPLIED -> {
                recordsApplied.incrementAndGet();
                notifyListeners(revocation);
            }
            case DUPLICATE_EVENT, NO_CHANGE -> duplicatesSkipped.incrementAndGet();
            case INVALID -> {
                invalidRecordsSkipped.incrementAndGet();
                log.warn("Skipping a revocation on {}-{} at offset {}: it names no secret hash and no key id",
                        record.topic(), record.partition(), record.offset());
            }
        }
    }

    /**
     * The record as a {@link KeyRevocation}. A reason this version does not know (from a newer producer) is dropped
     * rather than failing the whole record, so its secret hashes are still revoked; whether the key is revoked then
     * follows {@code key_revoked}.
     */
    private KeyRevocation parse(byte[] value) throws Exception {
        JsonNode tree = mapper.readTree(value);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode reason = tree.get("reason");
        if (reason != null && reason.isTextual() && !knownReason(reason.textValue())) {
            ((ObjectNode) tree).remove("reason");
        }
        return mapper.treeToValue(tree, KeyRevocation.class);
    }

    private static boolean knownReason(String wireName) {
        for (KeyRevocation.Reason reason : KeyRevocation.Reason.values()) {
            if (reason.wireName().equalsIgnoreCase(wireName)) {
                return true;
            }
        }
        return false;
    }

    private void notifyListeners(KeyRevocation revocation) {
        for (RevocationListener listener : listeners) {
            try {
                listener.onRevocation(revocation);
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable e) { // also an AssertionError or a linkage error: a listener must not stop the list
                log.warn("Revocation listener {} failed for event {}", listener, revocation.eventId(), e);
            }
        }
    }

    private Set<TopicPartition> toTopicPartitions(List<PartitionInfo> partitions) {
        Set<TopicPartition> result = new HashSet<>();
        for (PartitionInfo partition : partitions) {
            result.add(new TopicPartition(topic, partition.partition()));
        }
        return result;
    }

    private static long nextBackoff(long current) {
        return current == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, current * 2);
    }

    private void pause(long millis) {
        try {
            stopSignal.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    /** A condition that is logged at WARN when it starts, then at most every minute, and at INFO when it ends. */
    private static final class Problem {

        private boolean active;
        private long lastWarnNanos;

        void warn(String format, Object... args) {
            long now = System.nanoTime();
            if (!active || now - lastWarnNanos >= TimeUnit.MILLISECONDS.toNanos(WARN_INTERVAL_MS)) {
                log.warn(format, args);
                lastWarnNanos = now;
            }
            active = true;
        }

        void resolved(String message) {
            if (active) {
                active = false;
                log.info(message);
            }
        }
    }

    /** Configuration of a {@link RevocationClient}; only the bootstrap servers are required. */
    public static final class Builder {

        private String bootstrapServers;
        private String topic = KeyRevocation.TOPIC;
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private final List<RevocationListener> listeners = new ArrayList<>();
        private RevocationList revocationList;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration metadataRefreshInterval = DEFAULT_METADATA_REFRESH_INTERVAL;

        private Builder() {
        }

        /** {@code host:port[,host:port...]} of the Kafka cluster. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** Default {@link KeyRevocation#TOPIC}. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * A Kafka consumer setting (security, client id, {@code fetch.max.wait.ms}, ...) that overrides this
         * client's default. The deserializers are fixed; a {@code group.id} is neither needed nor used for
         * assignment.
         */
        public Builder consumerProperty(String name, Object value) {
            consumerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** As {@link #consumerProperty}, for each entry. */
        public Builder consumerProperties(Map<String, ?> properties) {
            properties.forEach(this::consumerProperty);
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(RevocationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The list to fill; by default a new one. */
        public Builder revocationList(RevocationList revocationList) {
            this.revocationList = Objects.requireNonNull(revocationList, "revocationList");
            return this;
        }

        /** How long one poll waits (default 100 ms); also bounds how late a refresh or close is noticed. */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = positive(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * How often partitions added to the topic and broker reachability are checked (default 30 s); also the
         * consumer's {@code metadata.max.age.ms} unless that is set explicitly.
         */
        public Builder metadataRefreshInterval(Duration interval) {
            this.metadataRefreshInterval = positive(interval, "metadataRefreshInterval");
            return this;
        }

        /** @throws IllegalStateException if no bootstrap servers were given */
        public RevocationClient build() {
            return new RevocationClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
