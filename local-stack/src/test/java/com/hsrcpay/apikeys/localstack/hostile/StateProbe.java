package com.hsrcpay.apikeys.localstack.hostile;

import com.hsrcpay.apikeys.testsupport.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a refused request must leave as it was, read straight from PostgreSQL on one connection: the number of
 * events in the store, the idempotency claims, and a digest of every row of the read model's key tables (so a
 * touched row shows even when the event count stays). One statement, well under a millisecond at this size.
 */
final class StateProbe implements AutoCloseable {

    private static final String SNAPSHOT = """
            SELECT (SELECT count(*) FROM event_store.domain_event_entry),
                   (SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry),
                   (SELECT count(*) FROM command_side.idempotent_request),
                   (SELECT coalesce(md5(string_agg(k::text, '|' ORDER BY k.key_id)), '') FROM read_model.api_key k),
                   (SELECT coalesce(md5(string_agg(s::text, '|' ORDER BY s.secret_sha256)), '')
                      FROM read_model.key_secret s),
                   (SELECT count(*) FROM read_model.revocation),
                   (SELECT coalesce(md5(string_agg(e::text, '|' ORDER BY e.id)), '') FROM read_model.webhook_endpoint e)
            """;

    private final Connection connection;

    StateProbe(TestDatabase database) {
        try {
            connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open the state probe's connection", e);
        }
    }

    /** The state a refused request must not change. */
    record Snapshot(long events, long headIndex, long idempotencyClaims, String keyRows, String secretRows,
                    long revocations, String webhookEndpointRows) {

        /** What differs from {@code before}, in words; empty when nothing does. */
        List<String> changesSince(Snapshot before) {
            List<String> changes = new ArrayList<>();
            if (events != before.events) {
                changes.add("events " + before.events + "->" + events);
            }
            if (idempotencyClaims != before.idempotencyClaims) {
                changes.add("idempotency claims " + before.idempotencyClaims + "->" + idempotencyClaims);
            }
            if (!keyRows.equals(before.keyRows)) {
                changes.add("read_model.api_key rows changed");
            }
            if (!secretRows.equals(before.secretRows)) {
                changes.add("read_model.key_secret rows changed");
            }
            if (revocations != before.revocations) {
                changes.add("revocations " + before.revocations + "->" + revocations);
            }
            if (!webhookEndpointRows.equals(before.webhookEndpointRows)) {
                changes.add("read_model.webhook_endpoint rows changed");
            }
            return changes;
        }

        boolean eventsChangedSince(Snapshot before) {
            return events != before.events;
        }
    }

    Snapshot take() {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(SNAPSHOT)) {
            row.next();
            return new Snapshot(row.getLong(1), row.getLong(2), row.getLong(3), row.getString(4), row.getString(5),
                    row.getLong(6), row.getString(7));
        } catch (SQLException e) {
            throw new IllegalStateException("The state probe failed", e);
        }
    }

    /** The highest global index in the event store. */
    long head() {
        return take().headIndex();
    }

    /** {@code last_used_at} (epoch ms, or -1) and {@code last_used_ip} of a key, from {@code read_model.key_usage}. */
    Usage usage(String keyId) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT last_used_at, last_used_ip FROM read_model.key_usage "
                        + "WHERE key_id = '" + java.util.UUID.fromString(keyId) + "'")) {
            return row.next() ? new Usage(row.getTimestamp(1).getTime(), row.getString(2)) : new Usage(-1, null);
        } catch (SQLException e) {
            throw new IllegalStateException("The usage probe failed", e);
        }
    }

    /** Whether the read model shows {@code keyId} as an ACTIVE, managed key that is not deleted. */
    boolean isActiveManagedKey(String keyId) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM read_model.api_key WHERE key_id = '"
                        + java.util.UUID.fromString(keyId) + "' AND status = 'ACTIVE' AND managed AND NOT deleted")) {
            row.next();
            return row.getLong(1) == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("The key probe failed", e);
        }
    }

    record Usage(long lastUsedAtMillis, String lastUsedIp) {
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
