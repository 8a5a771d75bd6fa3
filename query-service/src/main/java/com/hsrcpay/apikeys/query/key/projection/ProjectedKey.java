package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyTerminated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.KeyStatus;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One key as the key-list projection holds it: its {@code api_key} row and its usable secrets
 * ({@code key_secret}), loaded at the start of a batch and moved forward by the batch's events in memory, so a
 * batch writes each touched row once. The rules are the projection's: an event older than the row's version
 * changes nothing (redelivery is harmless), except that a secret taken out of use is always taken out.
 */
final class ProjectedKey {

    final UUID keyId;
    private KeyRow row;
    private boolean rowChanged;
    private final Map<String, Instant> loadedSecrets;
    private final Map<String, Instant> secrets;

    ProjectedKey(UUID keyId, KeyRow row, Map<String, Instant> loadedSecrets) {
        this.keyId = keyId;
        this.row = row;
        // HashMaps: a null valid_until means "no end"
        this.loadedSecrets = new HashMap<>(loadedSecrets);
        this.secrets = new HashMap<>(loadedSecrets);
    }

    void apply(KeyEvent event, long sequence, Function<Object, String> json) {
        long version = sequence + 1;
        if (event instanceof KeyCreated created) {
            if (row == null) {
                row = KeyRow.created(created, version, json);
                rowChanged = true;
                secrets.putIfAbsent(created.secret().sha256(), null);
            }
            return;
        }
        boolean fresh = row != null && version > row.version;
        if (fresh) {
            row.version = version;
            row.updatedAt = event.occurredAt();
            rowChanged = true;
        }
        if (event instanceof SecretRotated rotated) {
            if (fresh) {
                row.secretHint = rotated.newSecret().hint();
                secrets.putIfAbsent(rotated.newSecret().sha256(), null);
                if (secrets.containsKey(rotated.previousSecretSha256())) {
                    secrets.put(rotated.previousSecretSha256(), rotated.previousSecretValidUntil());
                }
                rotated.stoppedSecretSha256s().forEach(secrets::remove);
            }
        } else if (event instanceof SecretRetired retired) {
            secrets.remove(retired.retiredSecretSha256());
        } else if (event instanceof KeyTerminated terminated) {
            if (fresh) {
                row.status = terminated instanceof KeyExpired ? KeyStatus.EXPIRED : KeyStatus.REVOKED;
                row.deleted |= terminated instanceof KeyDeleted;
            }
            secrets.clear();
        } else if (fresh && event instanceof KeyUpdated updated) {
            KeyChanges changes = updated.changes();
            if (changes.name() != null) {
                row.name = changes.name().after();
            }
            if (changes.permissions() != null) {
                row.permissions = json.apply(changes.permissions().after());
            }
            if (changes.expiresAt() != null) {
                row.expiresAt = changes.expiresAt().after();
            }
            if (changes.metadata() != null) {
                row.metadata = json.apply(changes.metadata().after());
            }
        } else if (fresh && event instanceof KeyDeactivated) {
            row.status = KeyStatus.INACTIVE;
        } else if (fresh && event instanceof KeyActivated) {
            row.status = KeyStatus.ACTIVE;
        }
    }

    /** The row to write, or null when the batch did not move it. */
    KeyRow changedRow() {
        return rowChanged ? row : null;
    }

    /** Secrets that were usable before the batch and are not any more. */
    Set<String> removedSecrets() {
        return loadedSecrets.keySet().stream().filter(sha -> !secrets.containsKey(sha)).collect(Collectors.toSet());
    }

    /** Secrets that are new or whose end changed, with their end (null: none). */
    Map<String, Instant> upsertedSecrets() {
        Map<String, Instant> upserts = new HashMap<>();
        secrets.forEach((sha, validUntil) -> {
            if (!loadedSecrets.containsKey(sha) || !Objects.equals(loadedSecrets.get(sha), validUntil)) {
                upserts.put(sha, validUntil);
            }
        });
        return upserts;
    }
}
