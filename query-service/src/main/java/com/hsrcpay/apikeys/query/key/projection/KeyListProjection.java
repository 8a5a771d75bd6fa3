package com.hsrcpay.apikeys.query.key.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyTerminated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Projects every key into {@code read_model.api_key} (the list, the single key, each key's version) and its
 * usable secrets into {@code read_model.key_secret} (the lookup for verification). Handlers are idempotent:
 * a row only moves forward ({@code version < ?}), inserts ignore what exists, so redelivery changes nothing.
 */
@Component
@ProcessingGroup(KeyListProjection.GROUP)
public class KeyListProjection {

    public static final String GROUP = "key-list";

    private final JdbcTemplate jdbc;
    private final ReadYourWrites readYourWrites;
    private final ObjectMapper json = EventJson.newObjectMapper();

    public KeyListProjection(JdbcTemplate jdbc, ReadYourWrites readYourWrites) {
        this.jdbc = jdbc;
        this.readYourWrites = readYourWrites;
    }

    @EventHandler
    void on(KeyCreated event, @SequenceNumber long sequence) {
        jdbc.update("""
                INSERT INTO read_model.api_key (key_id, account_id, mode, application_id, name, type, secret_hint,
                    metadata, permissions, status, expires_at, managed, deleted, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, false, ?, ?, ?)
                ON CONFLICT (key_id) DO NOTHING""",
                event.keyId().value(), event.accountId().value(), event.mode().wireName(),
                event.applicationId() == null ? null : event.applicationId().value(), event.name(),
                event.type().name(), event.secret().hint(), toJson(event.metadata()),
                toJson(event.permissions()), KeyStatus.ACTIVE.name(), time(event.expiresAt()), event.managed(),
                time(event.occurredAt()), time(event.occurredAt()), sequence + 1);
        jdbc.update("""
                INSERT INTO read_model.key_secret (secret_sha256, key_id, valid_until) VALUES (?, ?, NULL)
                ON CONFLICT (secret_sha256) DO NOTHING""", event.secret().sha256(), event.keyId().value());
        changed(event, sequence);
    }

    @EventHandler
    void on(SecretRotated event, @SequenceNumber long sequence) {
        if (advance(event, sequence, "secret_hint = ?", event.newSecret().hint())) {
            jdbc.update("""
                    INSERT INTO read_model.key_secret (secret_sha256, key_id, valid_until) VALUES (?, ?, NULL)
                    ON CONFLICT (secret_sha256) DO NOTHING""", event.newSecret().sha256(), event.keyId().value());
            jdbc.update("UPDATE read_model.key_secret SET valid_until = ? WHERE secret_sha256 = ?",
                    time(event.previousSecretValidUntil()), event.previousSecretSha256());
            for (String stopped : event.stoppedSecretSha256s()) {
                jdbc.update("DELETE FROM read_model.key_secret WHERE secret_sha256 = ?", stopped);
            }
        }
        changed(event, sequence);
    }

    @EventHandler
    void on(SecretRetired event, @SequenceNumber long sequence) {
        advance(event, sequence, "");
        // unconditionally: a retired secret must never stay usable, and deleting twice changes nothing
        jdbc.update("DELETE FROM read_model.key_secret WHERE secret_sha256 = ?", event.retiredSecretSha256());
        changed(event, sequence);
    }

    @EventHandler
    void on(KeyUpdated event, @SequenceNumber long sequence) {
        KeyChanges changes = event.changes();
        StringBuilder set = new StringBuilder();
        java.util.List<Object> values = new java.util.ArrayList<>();
        if (changes.name() != null) {
            set.append("name = ?, ");
            values.add(changes.name().after());
        }
        if (changes.permissions() != null) {
            set.append("permissions = ?::jsonb, ");
            values.add(toJson(changes.permissions().after()));
        }
        if (changes.expiresAt() != null) {
            set.append("expires_at = ?, ");
            values.add(time(changes.expiresAt().after()));
        }
        if (changes.metadata() != null) {
            set.append("metadata = ?::jsonb, ");
            values.add(toJson(changes.metadata().after()));
        }
        set.setLength(Math.max(0, set.length() - 2));
        advance(event, sequence, set.toString(), values.toArray());
        changed(event, sequence);
    }

    @EventHandler
    void on(KeyDeactivated event, @SequenceNumber long sequence) {
        advance(event, sequence, "status = ?", KeyStatus.INACTIVE.name());
        changed(event, sequence);
    }

    @EventHandler
    void on(KeyActivated event, @SequenceNumber long sequence) {
        advance(event, sequence, "status = ?", KeyStatus.ACTIVE.name());
        changed(event, sequence);
    }

    @EventHandler
    void on(KeyRevoked event, @SequenceNumber long sequence) {
        terminate(event, sequence, "status = ?", KeyStatus.REVOKED.name());
    }

    @EventHandler
    void on(KeyDeleted event, @SequenceNumber long sequence) {
        terminate(event, sequence, "status = ?, deleted = true", KeyStatus.REVOKED.name());
    }

    @EventHandler
    void on(KeyExpired event, @SequenceNumber long sequence) {
        terminate(event, sequence, "status = ?", KeyStatus.EXPIRED.name());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE read_model.api_key, read_model.key_secret");
    }

    private void terminate(KeyTerminated event, long sequence, String set, Object... values) {
        advance(event, sequence, set, values);
        jdbc.update("DELETE FROM read_model.key_secret WHERE key_id = ?", event.keyId().value());
        changed(event, sequence);
    }

    /** Applies {@code set} (plus version and updated_at) unless the row is already at or past this event. */
    private boolean advance(KeyEvent event, long sequence, String set, Object... values) {
        Object[] all = new Object[values.length + 4];
        System.arraycopy(values, 0, all, 0, values.length);
        all[values.length] = time(event.occurredAt());
        all[values.length + 1] = sequence + 1;
        all[values.length + 2] = event.keyId().value();
        all[values.length + 3] = sequence + 1;
        String assignments = (set.isEmpty() ? "" : set + ", ") + "updated_at = ?, version = ?";
        return jdbc.update("UPDATE read_model.api_key SET " + assignments + " WHERE key_id = ? AND version < ?", all) > 0;
    }

    private void changed(KeyEvent event, long sequence) {
        // readers waiting for this version are told once the row is committed
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(u -> readYourWrites.projected()));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A projection value could not be written as JSON", e);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
