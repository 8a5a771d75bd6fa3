package com.hsrcpay.apikeys.query.key.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The key-list projection's SQL: loads the rows and secrets of a batch's keys with one query each and writes a
 * batch's result with one statement per table and kind of change (arrays through {@code unnest}), whatever the
 * batch size. Writes keep the version guard: a row only ever moves forward.
 */
final class KeyListTables {

    /** One array parameter of the row upsert: its element type and how a key gives its value, in SQL order. */
    private record Column<T>(String elementType, Function<KeyState, T> value, IntFunction<T[]> newArray) {

        Array array(Connection connection, List<KeyState> rows) throws SQLException {
            return connection.createArrayOf(elementType, rows.stream().map(value).toArray(newArray));
        }
    }

    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() { };
    private static final TypeReference<List<RateLimit>> RATELIMITS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    // timestamps travel as ISO-8601 text and are cast in SQL (see timestamp())
    private final List<Column<?>> rowColumns = List.of(
            new Column<>("uuid", row -> row.keyId().value(), UUID[]::new),
            new Column<>("varchar", row -> row.accountId().value(), String[]::new),
            new Column<>("varchar", row -> row.mode().wireName(), String[]::new),
            new Column<>("uuid", row -> row.applicationId() == null ? null : row.applicationId().value(),
                    UUID[]::new),
            new Column<>("varchar", row -> row.name(), String[]::new),
            new Column<>("varchar", row -> row.type().name(), String[]::new),
            new Column<>("varchar", row -> row.secretHint(), String[]::new),
            new Column<>("text", row -> toJson(row.metadata()), String[]::new),
            new Column<>("text", row -> toJson(row.permissions()), String[]::new),
            new Column<>("varchar", row -> row.status().name(), String[]::new),
            new Column<>("text", row -> timestamp(row.expiresAt()), String[]::new),
            new Column<>("bool", row -> row.managed(), Boolean[]::new),
            new Column<>("bool", row -> row.deleted(), Boolean[]::new),
            new Column<>("text", row -> timestamp(row.createdAt()), String[]::new),
            new Column<>("text", row -> timestamp(row.updatedAt()), String[]::new),
            new Column<>("int8", row -> row.version(), Long[]::new),
            new Column<>("text", row -> toJson(row.ratelimits()), String[]::new),
            new Column<>("text", row -> row.credits() == null ? null : toJson(row.credits()), String[]::new),
            new Column<>("text", row -> timestamp(row.lastRefillAt()), String[]::new));

    KeyListTables(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The projected state of these keys; keys not projected yet come back without a state. */
    Map<UUID, ProjectedKey> load(Collection<UUID> keyIds) {
        UUID[] ids = keyIds.toArray(UUID[]::new);
        Map<UUID, Map<String, Instant>> secrets = new HashMap<>();
        // a join with the ids, not "key_id = ANY(?)": a plan cached while the table was small (after a replay's
        // TRUNCATE) stays a sequential scan, and a parameter array is searched linearly for every row it reads
        jdbc.query("""
                SELECT s.secret_sha256, s.key_id, s.valid_until
                FROM unnest(?::uuid[]) AS ids(key_id) JOIN read_model.key_secret s ON s.key_id = ids.key_id""",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)),
                rs -> {
                    secrets.computeIfAbsent(rs.getObject("key_id", UUID.class), id -> new HashMap<>())
                            .put(rs.getString("secret_sha256"), instant(rs, "valid_until"));
                });
        Map<UUID, KeyState> states = new HashMap<>();
        jdbc.query("""
                SELECT key_id, account_id, mode, application_id, name, type, secret_hint, metadata::text AS metadata,
                       permissions::text AS permissions, status, expires_at, managed, deleted, created_at, updated_at,
                       version, ratelimits::text AS ratelimits, credits::text AS credits, last_refill_at
                FROM unnest(?::uuid[]) AS ids(id) JOIN read_model.api_key ON key_id = ids.id""",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)),
                rs -> {
                    UUID id = rs.getObject("key_id", UUID.class);
                    states.put(id, state(rs, secrets.getOrDefault(id, Map.of())));
                });
        Map<UUID, ProjectedKey> keys = new HashMap<>();
        for (UUID id : ids) {
            keys.put(id, new ProjectedKey(id, states.get(id)));
        }
        return keys;
    }

    /** Inserts new rows and moves existing ones forward (never back: an older version loses). */
    void writeRows(List<KeyState> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.update("""
                INSERT INTO read_model.api_key (key_id, account_id, mode, application_id, name, type, secret_hint,
                    metadata, permissions, status, expires_at, managed, deleted, created_at, updated_at, version,
                    ratelimits, credits, last_refill_at)
                SELECT key_id, account_id, mode, application_id, name, type, secret_hint, metadata::jsonb,
                       permissions::jsonb, status, expires_at, managed, deleted, created_at, updated_at, version,
                       ratelimits::jsonb, credits::jsonb, last_refill_at
                FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[],
                            ?::text[], ?::text[], ?::varchar[], ?::text[]::timestamptz[], ?::boolean[], ?::boolean[],
                            ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::bigint[], ?::text[], ?::text[],
                            ?::text[]::timestamptz[])
                    AS r(key_id, account_id, mode, application_id, name, type, secret_hint, metadata, permissions,
                         status, expires_at, managed, deleted, created_at, updated_at, version, ratelimits, credits,
                         last_refill_at)
                ON CONFLICT (key_id) DO UPDATE SET
                    application_id = EXCLUDED.application_id, name = EXCLUDED.name, secret_hint = EXCLUDED.secret_hint,
                    metadata = EXCLUDED.metadata, permissions = EXCLUDED.permissions, status = EXCLUDED.status,
                    expires_at = EXCLUDED.expires_at, deleted = EXCLUDED.deleted, updated_at = EXCLUDED.updated_at,
                    version = EXCLUDED.version, ratelimits = EXCLUDED.ratelimits, credits = EXCLUDED.credits,
                    last_refill_at = EXCLUDED.last_refill_at
                WHERE read_model.api_key.version < EXCLUDED.version""", ps -> {
            for (int i = 0; i < rowColumns.size(); i++) {
                ps.setArray(i + 1, rowColumns.get(i).array(ps.getConnection(), rows));
            }
        });
    }

    /** Makes these secrets usable until the given end (null: no end), inserting or updating each. */
    void upsertSecrets(Map<String, UUID> owners, Map<String, Instant> validUntil) {
        if (validUntil.isEmpty()) {
            return;
        }
        List<String> shas = new ArrayList<>(validUntil.keySet());
        jdbc.update("""
                INSERT INTO read_model.key_secret (secret_sha256, key_id, valid_until)
                SELECT secret_sha256, key_id, valid_until
                FROM unnest(?::varchar[], ?::uuid[], ?::text[]::timestamptz[]) AS s(secret_sha256, key_id, valid_until)
                ON CONFLICT (secret_sha256) DO UPDATE SET key_id = EXCLUDED.key_id, valid_until = EXCLUDED.valid_until""",
                ps -> {
                    Connection c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("varchar", shas.toArray(String[]::new)));
                    ps.setArray(2, c.createArrayOf("uuid", shas.stream().map(owners::get).toArray(UUID[]::new)));
                    ps.setArray(3, c.createArrayOf("text",
                            shas.stream().map(sha -> timestamp(validUntil.get(sha))).toArray(String[]::new)));
                });
    }

    void deleteSecrets(Collection<String> shas) {
        if (shas.isEmpty()) {
            return;
        }
        jdbc.update("DELETE FROM read_model.key_secret s USING unnest(?::bpchar[]) AS d(sha) "
                        + "WHERE s.secret_sha256 = d.sha", // a join, as in load()
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("varchar", shas.toArray(String[]::new))));
    }

    void truncate() {
        jdbc.update("TRUNCATE read_model.api_key, read_model.key_secret");
    }

    private KeyState state(ResultSet rs, Map<String, Instant> secrets) throws SQLException {
        UUID applicationId = rs.getObject("application_id", UUID.class);
        return new KeyState(new KeyId(rs.getObject("key_id", UUID.class)), new AccountId(rs.getString("account_id")),
                Mode.fromWire(rs.getString("mode")), applicationId == null ? null : new ApplicationId(applicationId),
                rs.getString("name"), KeyType.valueOf(rs.getString("type")), rs.getString("secret_hint"),
                fromJson(rs.getString("permissions"), Permissions.class),
                fromJson(rs.getString("metadata"), METADATA), KeyStatus.valueOf(rs.getString("status")),
                instant(rs, "expires_at"), rs.getBoolean("managed"), rs.getBoolean("deleted"),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("version"), secrets,
                fromJson(rs.getString("ratelimits"), RATELIMITS),
                rs.getString("credits") == null ? null : fromJson(rs.getString("credits"), Credits.class),
                instant(rs, "last_refill_at"));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A projection value could not be written as JSON", e);
        }
    }

    private <T> T fromJson(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A projected row holds JSON that does not read back", e);
        }
    }

    private <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A projected row holds JSON that does not read back", e);
        }
    }

    // ISO-8601 text with its offset: unambiguous whatever the JVM's or the session's time zone
    private static String timestamp(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
