package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-list projection's batch writer on real PostgreSQL: what a batch writes equals what the same events
 * write one at a time, and redelivered or stale events change nothing (a removed secret never comes back).
 */
class KeyListBatchIT {

    private static final AccountId ACCOUNT = new AccountId("acct_batch_it");
    private static final Actor ACTOR = new Actor(Actor.Type.USER, "user_batch_it");
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123456Z");

    private record Sequenced(KeyEvent event, long sequence) {
    }

    @Test
    void aWholeLifeInOneBatchEndsWhereItsLastEventLeftTheKey() {
        JdbcTemplate jdbc = readModel();
        KeyId key = new KeyId(UUID.randomUUID());
        List<Sequenced> life = List.of(
                at(0, created(key, "first")),
                at(1, renamed(key, "first", "second", 1)),
                at(2, rotated(key, "s0", "s1", T0.plusSeconds(3600), List.of(), 2)),
                at(3, new KeyDeactivated(key, ACCOUNT, Mode.LIVE, ACTOR, T0.plusSeconds(3), "req-3")));

        project(jdbc, life);

        assertThat(jdbc.queryForMap("SELECT name, status, version, secret_hint FROM read_model.api_key WHERE key_id = ?",
                key.value())).containsEntry("name", "second").containsEntry("status", "INACTIVE")
                .containsEntry("version", 4L).containsEntry("secret_hint", "hint-s1");
        assertThat(secrets(jdbc, key)).containsExactlyInAnyOrder(
                sha(key, "s0") + " " + T0.plusSeconds(3600), sha(key, "s1") + " none");
    }

    @Test
    void aRefillIsTheKeysLastRefillAndStaysThroughLaterBatches() {
        JdbcTemplate jdbc = readModel();
        KeyId key = new KeyId(UUID.randomUUID());
        Credits daily = new Credits(5, new Credits.Refill(Credits.Refill.Interval.DAILY, 100, null));
        KeyCreated metered = new KeyCreated(key, ACCOUNT, Mode.LIVE, null, "metered", KeyType.SECRET,
                Permissions.fromStrings(List.of("account:api:key:read")), Map.of(), null, false,
                new SecretFingerprint(sha(key, "s0"), "hint-s0"), ACTOR, T0, "req-0", List.of(), daily);
        project(jdbc, List.of(at(0, metered)));
        assertThat(lastRefill(jdbc, key)).as("never refilled").isNull();

        Instant applied = T0.plusSeconds(90);
        project(jdbc, List.of(at(1, new CreditsRefilled(key, ACCOUNT, Mode.LIVE, 100, T0.plusSeconds(60),
                ACTOR, applied, "deadline:1"))));
        assertThat(lastRefill(jdbc, key)).isEqualTo(applied);
        assertThat(jdbc.queryForObject("SELECT credits->>'remaining' FROM read_model.api_key WHERE key_id = ?",
                String.class, key.value())).isEqualTo("100");

        project(jdbc, List.of(at(2, renamed(key, "metered", "renamed", 2)))); // loaded back, moved on, written
        assertThat(lastRefill(jdbc, key)).as("kept by a later batch").isEqualTo(applied);
    }

    private static Instant lastRefill(JdbcTemplate jdbc, KeyId key) {
        java.time.OffsetDateTime at = jdbc.queryForObject("SELECT last_refill_at FROM read_model.api_key WHERE key_id = ?",
                java.time.OffsetDateTime.class, key.value());
        return at == null ? null : at.toInstant();
    }

    @Test
    void batchesOfAnySizeWriteWhatOneEventAtATimeWrites() {
        Random random = new Random(20261129);
        List<Sequenced> stream = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            stream.addAll(randomLife(new KeyId(UUID.randomUUID()), random));
        }
        interleave(stream, random);

        JdbcTemplate oneByOne = readModel();
        stream.forEach(event -> project(oneByOne, List.of(event)));
        JdbcTemplate batched = readModel();
        for (int from = 0; from < stream.size(); ) {
            int to = Math.min(stream.size(), from + 1 + random.nextInt(60));
            project(batched, stream.subList(from, to));
            from = to;
        }

        assertThat(snapshot(oneByOne)).isNotEmpty();
        assertThat(snapshot(batched)).containsExactlyElementsOf(snapshot(oneByOne));
    }

    @Test
    void redeliveredAndStaleEventsChangeNothing() {
        JdbcTemplate jdbc = readModel();
        KeyId key = new KeyId(UUID.randomUUID());
        Sequenced created = at(0, created(key, "doomed"));
        Sequenced rotated = at(1, rotated(key, "s0", "s1", T0.plusSeconds(60), List.of(), 1));
        Sequenced revoked = at(2, new KeyRevoked(key, ACCOUNT, Mode.LIVE, null, List.of(sha(key, "s0"), sha(key, "s1")), ACTOR,
                T0.plusSeconds(2), "req-2"));
        project(jdbc, List.of(created, rotated, revoked));
        List<String> before = snapshot(jdbc);

        project(jdbc, List.of(created, rotated, revoked)); // the whole batch again
        project(jdbc, List.of(rotated));                   // an old event alone
        project(jdbc, List.of(created));

        assertThat(snapshot(jdbc)).isEqualTo(before);
        assertThat(secrets(jdbc, key)).as("a revoked key's secrets never come back").isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM read_model.api_key WHERE key_id = ?", String.class,
                key.value())).isEqualTo("REVOKED");
    }

    // --- a random but valid life: created, then updates, (de)activations, rotations, retirements, maybe an end

    private static List<Sequenced> randomLife(KeyId key, Random random) {
        List<Sequenced> life = new ArrayList<>();
        life.add(at(0, created(key, "n0")));
        String current = "s0";
        List<String> graced = new ArrayList<>();
        String name = "n0";
        int events = 1 + random.nextInt(8);
        for (int seq = 1; seq <= events; seq++) {
            Instant when = T0.plusSeconds(seq);
            KeyEvent event = switch (random.nextInt(5)) {
                case 0 -> {
                    String renamed = "n" + seq;
                    KeyEvent e = renamed(key, name, renamed, seq);
                    name = renamed;
                    yield e;
                }
                case 1 -> random.nextBoolean()
                        ? new KeyDeactivated(key, ACCOUNT, Mode.LIVE, ACTOR, when, "req-" + seq)
                        : new KeyActivated(key, ACCOUNT, Mode.LIVE, ACTOR, when, "req-" + seq);
                case 2 -> {
                    String next = "s" + seq;
                    List<String> stopped = random.nextBoolean() ? List.copyOf(graced) : List.of();
                    KeyEvent e = rotated(key, current, next, when.plusSeconds(600), stopped, seq);
                    graced.removeAll(stopped);
                    graced.add(current);
                    current = next;
                    yield e;
                }
                case 3 -> graced.isEmpty()
                        ? renamed(key, name, name + "'", seq)
                        : new SecretRetired(key, ACCOUNT, Mode.LIVE, null, sha(key, graced.remove(0)), List.of(), ACTOR,
                                when, "req-" + seq, random.nextBoolean() ? SecretRetired.Reason.GRACE_ENDED
                                        : SecretRetired.Reason.EXPOSED);
                default -> seq != events ? new KeyDeactivated(key, ACCOUNT, Mode.LIVE, ACTOR, when, "req-" + seq)
                        : random.nextBoolean()
                        ? new KeyDeleted(key, ACCOUNT, Mode.LIVE, null, List.of(), ACTOR, when, "req-" + seq)
                        : new KeyExposed(key, ACCOUNT, Mode.LIVE, null, List.of(), KeyExposed.PUBLIC_REPORT, null, ACTOR,
                                when, "req-" + seq);
            };
            if (event instanceof KeyUpdated updated && updated.changes().name() != null) {
                name = updated.changes().name().after();
            }
            life.add(at(seq, event));
        }
        return life;
    }

    /** Shuffles keys against each other while each key's events keep their order, as in the event store. */
    private static void interleave(List<Sequenced> stream, Random random) {
        List<Sequenced> result = new ArrayList<>();
        List<List<Sequenced>> perKey = new ArrayList<>();
        Map<UUID, List<Sequenced>> byKey = new java.util.LinkedHashMap<>();
        stream.forEach(s -> byKey.computeIfAbsent(s.event().keyId().value(), id -> new ArrayList<>()).add(s));
        byKey.values().forEach(events -> perKey.add(new ArrayList<>(events)));
        while (!perKey.isEmpty()) {
            List<Sequenced> next = perKey.get(random.nextInt(perKey.size()));
            result.add(next.remove(0));
            if (next.isEmpty()) {
                perKey.remove(next);
            }
        }
        stream.clear();
        stream.addAll(result);
    }

    // --- events

    private static Sequenced at(long sequence, KeyEvent event) {
        return new Sequenced(event, sequence);
    }

    private static KeyCreated created(KeyId key, String name) {
        return new KeyCreated(key, ACCOUNT, Mode.LIVE, null, name, KeyType.SECRET,
                Permissions.fromStrings(List.of("account:api:key:read")), Map.of("team", "payments"), null, false,
                new SecretFingerprint(sha(key, "s0"), "hint-s0"), ACTOR, T0, "req-0");
    }

    private static KeyUpdated renamed(KeyId key, String from, String to, long seq) {
        return new KeyUpdated(key, ACCOUNT, Mode.LIVE, new KeyChanges(new FieldChange<>(from, to), null, null, null),
                ACTOR, T0.plusSeconds(seq), "req-" + seq);
    }

    private static SecretRotated rotated(KeyId key, String previous, String next, Instant previousValidUntil,
            List<String> stopped, long seq) {
        return new SecretRotated(key, ACCOUNT, Mode.LIVE, null, new SecretFingerprint(sha(key, next), "hint-" + next),
                sha(key, previous), previousValidUntil, stopped.stream().map(secret -> sha(key, secret)).toList(), List.of(),
                ACTOR, T0.plusSeconds(seq), "req-" + seq);
    }

    /** Secret hashes are unique across keys, as real ones are. */
    private static String sha(KeyId key, String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((key.value() + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- database

    private static JdbcTemplate readModel() {
        DataSource dataSource = TestPostgres.newDatabase().dataSource();
        Flyway.configure().dataSource(dataSource).schemas("read_model").defaultSchema("read_model")
                .locations("classpath:db/read-model").load().migrate();
        return new JdbcTemplate(dataSource);
    }

    /** Applies events as one batch, in its own transaction, as the processor does at prepare-commit. */
    private static void project(JdbcTemplate jdbc, List<Sequenced> events) {
        KeyListBatch batch = new KeyListBatch();
        events.forEach(e -> batch.add(e.event(), e.sequence()));
        new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(jdbc.getDataSource()))
                .executeWithoutResult(status -> batch.flush(new KeyListTables(jdbc, EventJson.newObjectMapper())));
    }

    private static List<String> secrets(JdbcTemplate jdbc, KeyId key) {
        return jdbc.query("SELECT secret_sha256, valid_until FROM read_model.key_secret WHERE key_id = ?",
                (rs, i) -> rs.getString(1) + " " + (rs.getObject(2) == null ? "none"
                        : rs.getObject(2, java.time.OffsetDateTime.class).toInstant()), key.value());
    }

    private static List<String> snapshot(JdbcTemplate jdbc) {
        List<String> rows = new ArrayList<>(jdbc.query("""
                SELECT key_id, account_id, mode, application_id, name, type, secret_hint, metadata, permissions, status,
                       expires_at, managed, deleted, created_at, updated_at, version
                FROM read_model.api_key ORDER BY key_id""", (rs, i) -> {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= 16; c++) {
                row.append(rs.getString(c)).append('|');
            }
            return row.toString();
        }));
        rows.addAll(jdbc.query("SELECT secret_sha256, key_id, valid_until FROM read_model.key_secret ORDER BY 1",
                (rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3)));
        return rows;
    }
}
