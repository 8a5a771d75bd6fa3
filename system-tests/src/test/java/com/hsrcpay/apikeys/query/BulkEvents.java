package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.eventstore.StoredEventWriter;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Bulk events straight into the store, in the stored form the services write ({@link StoredEventWriter}). */
public final class BulkEvents {

    private BulkEvents() {
    }

    /** Appends {@code events} (each key's in order) in one transaction. */
    public static void append(DataSource dataSource, Stream<? extends KeyEvent> events) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (StoredEventWriter writer = new StoredEventWriter(connection, StoredEventWriter.storeSerializer())) {
                events.forEach(writer::append);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Bulk events could not be stored", e);
        }
    }

    /** {@code count} keys of {@code account}, created one millisecond apart from {@code from}. */
    public static Stream<KeyCreated> keysCreated(String account, int count, Instant from, Map<String, Object> metadata) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            KeyId id = KeyId.newId();
            return new KeyCreated(id, new AccountId(account), Mode.LIVE, null, "bulk " + i, KeyType.SECRET,
                    Permissions.of(Map.of("account:api:key", List.of("read"))), metadata, null, false,
                    new SecretFingerprint(SecretFormat.sha256(id.toString()), "sk_live_…" + id.toString().substring(32)),
                    new Actor(Actor.Type.USER, "user_bulk"), from.plusMillis(i), "bulk-" + i);
        });
    }
}
