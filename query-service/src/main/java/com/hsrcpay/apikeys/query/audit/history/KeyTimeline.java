package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.Permissions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one fold of a key's events, in sequence order, into its {@code api_key} object (as the read model projects
 * it: version = events folded, updated_at = time of the latest) and, per event, the fields of that object it changed.
 * Knows nothing of usage (last_used_at/ip are not events: null here) and never holds a secret, only its masked hint.
 */
public final class KeyTimeline {

    private String id;
    private String accountId;
    private String applicationId;
    private String name;
    private String type;
    private String hint;
    private Map<String, Object> metadata;
    private Permissions permissions;
    private KeyStatus status;
    private Instant expiresAt;
    private boolean managed;
    private boolean deleted;
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    /** Folds {@code event} in; answers what it changed, field (snake_case) to before/after, in a stable order. */
    public Map<String, Change> apply(KeyEvent event) {
        Map<String, Change> changes = new LinkedHashMap<>();
        if (event instanceof KeyCreated e) {
            id = e.keyId().toString();
            accountId = e.accountId().value();
            applicationId = e.applicationId() == null ? null : e.applicationId().toString();
            createdAt = e.occurredAt();
            change(changes, "application_id", null, applicationId);
            change(changes, "name", null, name = e.name());
            change(changes, "type", null, type = e.type().name());
            change(changes, "key", null, hint = e.secret().hint());
            change(changes, "permissions", null, permissions = e.permissions());
            change(changes, "metadata", null, metadata = e.metadata());
            change(changes, "expires_at", null, expiresAt = e.expiresAt());
            change(changes, "managed", null, managed = e.managed());
            change(changes, "status", null, status = KeyStatus.ACTIVE);
            change(changes, "deleted", null, false);
        } else if (event instanceof SecretRotated e) {
            change(changes, "key", hint, e.newSecret().hint());
            hint = e.newSecret().hint();
        } else if (event instanceof KeyUpdated e) {
            KeyChanges c = e.changes();
            if (c.name() != null) {
                change(changes, "name", name, c.name().after());
                name = c.name().after();
            }
            if (c.permissions() != null) {
                change(changes, "permissions", permissions, c.permissions().after());
                permissions = c.permissions().after();
            }
            if (c.expiresAt() != null) {
                change(changes, "expires_at", expiresAt, c.expiresAt().after());
                expiresAt = c.expiresAt().after();
            }
            if (c.metadata() != null) {
                change(changes, "metadata", metadata, c.metadata().after());
                metadata = c.metadata().after();
            }
        } else if (event instanceof KeyDeactivated) {
            status(changes, KeyStatus.INACTIVE);
        } else if (event instanceof KeyActivated) {
            status(changes, KeyStatus.ACTIVE);
        } else if (event instanceof KeyRevoked) {
            status(changes, KeyStatus.REVOKED);
        } else if (event instanceof KeyExpired) {
            status(changes, KeyStatus.EXPIRED);
        } else if (event instanceof KeyDeleted) {
            status(changes, KeyStatus.REVOKED);
            change(changes, "deleted", deleted, true);
            deleted = true;
        }
        // SecretRetired: a previous secret stopped; no field of the key object changes
        updatedAt = event.occurredAt();
        version++;
        return changes;
    }

    /** True once the key's creation was folded in. */
    public boolean exists() {
        return id != null;
    }

    /** The key as of the events folded so far, in the contract's object shape. */
    public ApiKeyObject object() {
        return new ApiKeyObject(ApiKeyObject.OBJECT, id, accountId, applicationId, name, type, hint, null,
                metadata, permissions == null ? null : permissions.grants(), status == null ? null : status.name(),
                null, expiresAt, managed, deleted, createdAt, updatedAt, version);
    }

    private void status(Map<String, Change> changes, KeyStatus next) {
        change(changes, "status", status, next);
        status = next;
    }

    private static void change(Map<String, Change> changes, String field, Object before, Object after) {
        Object b = wire(before);
        Object a = wire(after);
        if (!Objects.equals(b, a)) {
            changes.put(field, new Change(b, a));
        }
    }

    private static Object wire(Object value) {
        if (value instanceof Permissions p) {
            return p.grants();
        }
        if (value instanceof KeyStatus s) {
            return s.name();
        }
        return value;
    }

    /** One changed field. */
    public record Change(Object before, Object after) {
    }
}
