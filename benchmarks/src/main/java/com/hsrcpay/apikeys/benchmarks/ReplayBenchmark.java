package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.embedded.DurablePostgres;
import com.hsrcpay.apikeys.eventstore.StoredEventWriter;
import com.hsrcpay.apikeys.query.QueryServiceApplication;
import com.hsrcpay.apikeys.query.replay.ProjectionReplays;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Replay throughput: the key-list projection of a real query service catching up from zero over N keys × 5 events
 * (created, renamed, deactivated, secret rotated, deleted) generated straight into the event store of an embedded
 * PostgreSQL, first event by event through Axon's processor (a fresh token at startup), then on the bulk path an
 * operator's replay takes ({@code BulkReplay}), on the same store in the same service. Baseline in the same run on the same server: raw JDBC batched INSERTs of rows of the same shape
 * into a scratch table, the write rate any projection that writes a row per event is bounded by.
 *
 * <pre>./mvnw -q -DskipTests package && java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.ReplayBenchmark [keys=200000] [--spring.property=value ...]</pre>
 * Arguments after the key count go to the query service as they are (to try processor settings).
 */
public final class ReplayBenchmark {

    static final int EVENTS_PER_KEY = 5;

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.log.com.hsrcpay.apikeys.query.replay", "info");
        int keys = args.length > 0 ? Integer.parseInt(args[0].replace("keys=", "")) : 200_000;
        String[] serviceArgs = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
        long events = (long) keys * EVENTS_PER_KEY;
        Path dir = Files.createTempDirectory("replay-bench");
        try (DurablePostgres postgres = DurablePostgres.start(dir, 0)) {
            double raw = rawInserts(postgres, 200_000);

            // once on the empty store: both schemas migrated, the processors' token rows created
            run(postgres, serviceArgs).close();
            long started = System.nanoTime();
            generate(postgres, keys);
            long head = head(postgres);
            System.out.printf(Locale.ROOT, "generated %,d events (%,d keys) in %.1f s; head %d%n", events, keys,
                    (System.nanoTime() - started) / 1e9, head);
            replayFromZero(postgres, "key-list", head);

            long t0 = System.nanoTime();
            try (ConfigurableApplicationContext queryService = run(postgres, serviceArgs)) {
                long ready = System.nanoTime();
                StreamingEventProcessor keyList = queryService.getBean(EventProcessingConfiguration.class)
                        .eventProcessor("key-list", StreamingEventProcessor.class).orElseThrow();
                long atReady = position(keyList.processingStatus());
                long lastReport = System.nanoTime();
                while (position(keyList.processingStatus()) < head) {
                    Thread.sleep(20);
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.out.printf(Locale.ROOT, "  ... position %,d of %,d%n",
                                position(keyList.processingStatus()), head);
                    }
                }
                long done = System.nanoTime();
                long rows;
                try (Connection c = connect(postgres); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*) FROM read_model.api_key")) {
                    r.next();
                    rows = r.getLong(1);
                }
                if (rows != keys) {
                    throw new IllegalStateException("api_key has " + rows + " rows, expected " + keys);
                }
                double total = (done - t0) / 1e9;
                double steady = (done - ready) / 1e9;
                double rate = (head - atReady) / steady;
                System.out.println();
                System.out.printf(Locale.ROOT, "Replay of key-list from zero, %,d events, %d cores:%n", events,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "baseline: raw batched INSERT            %,10.0f rows/s%n", raw);
                System.out.printf(Locale.ROOT, "key-list replay (after startup)         %,10.0f events/s (%.1f s, %,d events)%n",
                        rate, steady, head - atReady);
                System.out.printf(Locale.ROOT, "key-list replay (incl. %.1f s startup)  %,10.0f events/s%n",
                        (ready - t0) / 1e9, head / total);
                System.out.printf(Locale.ROOT, "ratio to baseline: %.2f (target >= 10,000 events/s)%n", rate / raw);

                // the replay an operator starts (POST /admin/projections/key-list/replay): the bulk path
                ProjectionReplays replays = queryService.getBean(ProjectionReplays.class);
                long b0 = System.nanoTime();
                replays.start("key-list");
                while (!"completed".equals(replays.progress("key-list").state())) {
                    Thread.sleep(20); // the poll's resolution: 20 ms of a run of tens of seconds
                }
                double bulkSeconds = (System.nanoTime() - b0) / 1e9;
                try (Connection c = connect(postgres); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*) FROM read_model.api_key")) {
                    r.next();
                    if (r.getLong(1) != keys) {
                        throw new IllegalStateException("after the bulk replay api_key has " + r.getLong(1) + " rows");
                    }
                }
                double bulkRate = head / bulkSeconds;
                System.out.printf(Locale.ROOT, "key-list replay, bulk path (the operator's replay, from the reset) "
                        + "%,10.0f events/s (%.1f s)%n", bulkRate, bulkSeconds);
                System.out.printf(Locale.ROOT, "ratio to baseline: %.2f (target >= 0.5); to the event-by-event "
                        + "replay: %.2f%n", bulkRate / raw, bulkRate / rate);
            }
        }
        try (var files = Files.walk(dir)) { // ~2 GB of PostgreSQL data
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0); // Axon's and Kafka's leftover non-daemon threads would keep the JVM alive
    }

    private static ConfigurableApplicationContext run(DurablePostgres postgres, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=localhost:1", // kafka-publisher is parked at the head
                "--spring.kafka.admin.auto-create=false",
                "--kms.auth.jwt.hmac-secret=benchmark-only-hmac-secret-0123456789abcdef",
                "--kms.transparency.ephemeral-key-allowed=true", // no checkpoint outlives the benchmark
                "--logging.level.root=WARN"));
        args.addAll(List.of(extraArgs));
        return QueryServiceApplication.builder().run(args.toArray(String[]::new));
    }

    /** Rows of the event table's shape (≈ the KeyCreated payload size), JDBC batches of 1,000, one commit per batch. */
    private static double rawInserts(DurablePostgres postgres, int rows) throws Exception {
        String payload = ("{\"keyId\":\"%s\",\"accountId\":\"acct_bench_00001\",\"mode\":\"live\",\"applicationId\":null,"
                + "\"name\":\"bench key\",\"type\":\"SECRET\",\"permissions\":{\"account:api:key\":[\"read\"]},"
                + "\"metadata\":{\"team\":\"payments\"},\"expiresAt\":null,\"managed\":false,\"secret\":{\"sha256\":"
                + "\"0000000000000000000000000000000000000000000000000000000000000000\",\"hint\":\"sk_live_…abcd\"},"
                + "\"actor\":{\"type\":\"USER\",\"id\":\"user_bench\"},\"occurredAt\":\"2026-11-24T12:00:00.123456Z\","
                + "\"requestId\":\"req-bench\"}");
        try (Connection c = connect(postgres)) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS public.scratch_insert");
                s.execute("""
                        CREATE TABLE public.scratch_insert (global_index BIGSERIAL PRIMARY KEY,
                            aggregate_identifier VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL,
                            type VARCHAR(255), event_identifier VARCHAR(255) NOT NULL UNIQUE, meta_data BYTEA,
                            payload BYTEA NOT NULL, payload_revision VARCHAR(255), payload_type VARCHAR(255) NOT NULL,
                            time_stamp VARCHAR(255) NOT NULL, UNIQUE (aggregate_identifier, sequence_number))""");
            }
            c.commit();
            long t0 = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO public.scratch_insert (aggregate_identifier, sequence_number, type, event_identifier,
                        meta_data, payload, payload_revision, payload_type, time_stamp)
                    VALUES (?, 0, 'ApiKey', ?, ?, ?, '1', 'com.hsrcpay.apikeys.shared.event.KeyCreated', ?)""")) {
                for (int i = 0; i < rows; i++) {
                    String id = UUID.randomUUID().toString();
                    insert.setString(1, id);
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.setBytes(3, "{\"chainDigest\":\"0000000000000000000000000000000000000000000000000000000000000000\"}"
                            .getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(4, String.format(payload, id).getBytes(StandardCharsets.UTF_8));
                    insert.setString(5, "2026-11-24T12:00:00.123Z");
                    insert.addBatch();
                    if ((i + 1) % 1000 == 0) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            double rate = rows / ((System.nanoTime() - t0) / 1e9);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE public.scratch_insert");
            }
            c.commit();
            System.out.printf(Locale.ROOT, "baseline: %,d rows by batched INSERT at %,.0f rows/s%n", rows, rate);
            return rate;
        }
    }

    /**
     * keys × (KeyCreated, KeyUpdated, KeyDeactivated, SecretRotated, KeyDeleted), interleaved in blocks of 1,000 keys,
     * written in the stored form the services write ({@link StoredEventWriter}: the real serializer and chain).
     */
    static void generate(DurablePostgres postgres, int keys) throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Actor actor = new Actor(Actor.Type.USER, "user_bench");
        try (Connection c = connect(postgres)) {
            try (StoredEventWriter writer = new StoredEventWriter(c, StoredEventWriter.storeSerializer())) {
                for (int block = 0; block < keys; block += 1_000) {
                    List<KeyCreated> created = new ArrayList<>();
                    for (int g = block + 1; g <= Math.min(keys, block + 1_000); g++) {
                        KeyId id = KeyId.newId();
                        created.add(new KeyCreated(id, new AccountId("acct_bench_%05d".formatted(g % 1000)),
                                Mode.LIVE, null, "key " + g, KeyType.SECRET,
                                Permissions.of(Map.of("account:api:key", List.of("read", "update"))),
                                Map.of("team", "payments", "n", g), null, g % 2 == 0,
                                new SecretFingerprint(SecretFormat.sha256(id.toString()),
                                        "sk_live_…" + id.toString().substring(32)),
                                actor, start.plusMillis(10L * g), "req-" + g + "-0"));
                    }
                    created.forEach(writer::append);
                    for (KeyCreated k : created) {
                        writer.append(new KeyUpdated(k.keyId(), k.accountId(), k.mode(),
                                new KeyChanges(new FieldChange<>(k.name(), "renamed " + k.name().substring(4)), null,
                                        null, null), actor, k.occurredAt().plusMillis(1), "req-1"));
                    }
                    for (KeyCreated k : created) {
                        writer.append(new KeyDeactivated(k.keyId(), k.accountId(), k.mode(), actor,
                                k.occurredAt().plusMillis(2), "req-2"));
                    }
                    for (KeyCreated k : created) {
                        SecretFingerprint rotated = new SecretFingerprint(SecretFormat.sha256(k.keyId() + "r"),
                                "sk_live_…" + k.keyId().toString().substring(0, 4));
                        writer.append(new SecretRotated(k.keyId(), k.accountId(), k.mode(), null, rotated,
                                k.secret().sha256(), k.occurredAt().plusMillis(3), List.of(k.secret().sha256()),
                                List.of(k.secret().sha256()), actor, k.occurredAt().plusMillis(3), "req-3"));
                    }
                    for (KeyCreated k : created) {
                        writer.append(new KeyDeleted(k.keyId(), k.accountId(), k.mode(), null,
                                List.of(k.secret().sha256(), SecretFormat.sha256(k.keyId() + "r")), actor,
                                k.occurredAt().plusMillis(4), "req-4"));
                    }
                }
            }
            c.commit();
        }
    }

    /**
     * {@code processor} starts from zero at its next start; every other processor is parked at {@code head}, so only
     * {@code processor} works. Then VACUUM ANALYZE, so the planner knows the generated tables.
     */
    static void replayFromZero(DurablePostgres postgres, String processor, long head) throws Exception {
        try (Connection c = connect(postgres);
             PreparedStatement fromZero = c.prepareStatement("UPDATE read_model.token_entry SET token = NULL,"
                     + " token_type = NULL, owner = NULL WHERE processor_name = ?");
             PreparedStatement parked = c.prepareStatement("UPDATE read_model.token_entry SET token = convert_to("
                     + "'{\"index\":" + head + ",\"gaps\":[]}', 'UTF8'),"
                     + " token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken', owner = NULL"
                     + " WHERE processor_name <> ?")) {
            fromZero.setString(1, processor);
            fromZero.executeUpdate();
            parked.setString(1, processor);
            parked.executeUpdate();
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }
    }

    static long head(DurablePostgres postgres) throws Exception {
        try (Connection c = connect(postgres); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT max(global_index) FROM event_store.domain_event_entry")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long position(Map<Integer, EventTrackerStatus> status) {
        if (status.isEmpty()) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (EventTrackerStatus segment : status.values()) {
            TrackingToken token = segment.getTrackingToken();
            min = Math.min(min, token == null ? 0 : token.position().orElse(0));
        }
        return min;
    }

    static Connection connect(DurablePostgres postgres) throws Exception {
        Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        c.setAutoCommit(false);
        return c;
    }
}
