package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.command.CreateKey;
import com.hsrcpay.apikeys.shared.command.KeyCommandRejected;
import com.hsrcpay.apikeys.shared.command.PatchKey;
import com.hsrcpay.apikeys.shared.command.Rejection;
import com.hsrcpay.apikeys.shared.command.RevokeKey;
import com.hsrcpay.apikeys.shared.command.RotateKey;
import com.hsrcpay.apikeys.shared.command.SoftDeleteKey;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One API key. Decides every rule of the contract in its command handlers and changes state only in its
 * event-sourcing handlers. Time comes from the injected {@link Clock}; secrets arrive as fingerprints.
 */
@Aggregate
public class ApiKey {

    @AggregateIdentifier
    private KeyId keyId;
    private AccountId accountId;
    private Mode mode;
    private ApplicationId applicationId;
    private String name;
    private KeyType type;
    private Permissions permissions;
    private Map<String, Object> metadata;
    private Instant expiresAt;
    private boolean managed;
    private KeyStatus status;
    private boolean deleted;
    private SecretFingerprint secret;
    private String previousSecretSha256;
    private Instant previousSecretValidUntil;
    private List<String> retiredSecretSha256s = new ArrayList<>();
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    protected ApiKey() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    public KeySnapshot create(CreateKey command, Clock clock) {
        Instant now = clock.instant();
        Objects.requireNonNull(command.secret(), "a secret fingerprint is required");
        apply(new KeyCreated(command.keyId(), command.accountId(), command.mode(), command.applicationId(),
                KeyRules.name(command.name()),
                command.type() == null ? KeyType.SECRET : command.type(),
                KeyRules.permissions(command.permissions()),
                KeyRules.metadata(command.metadata()),
                KeyRules.expiresAt(command.expiresAt(), now),
                command.managed(), command.secret(), command.actor(), now, command.requestId()));
        return snapshot();
    }

    @CommandHandler
    public KeySnapshot rotate(RotateKey command, Clock clock) {
        requireOwner(command.accountId(), command.mode());
        requireNotDeleted();
        requireNotRevoked();
        if (status == KeyStatus.EXPIRED) {
            throw new KeyCommandRejected(Rejection.KEY_EXPIRED, "An expired key cannot be regenerated",
                    Map.of("reason", "key_expired"));
        }
        if (!managed) {
            throw new KeyCommandRejected(Rejection.KEY_NOT_MANAGED,
                    "Only managed keys can be regenerated; custom keys are replaced by create and delete",
                    Map.of("reason", "key_not_managed"));
        }
        long grace = KeyRules.gracePeriodSeconds(command.gracePeriodSeconds());
        Instant now = clock.instant();
        List<String> stopping = new ArrayList<>();
        if (inGrace(now)) {
            stopping.add(previousSecretSha256); // a second rotation ends the first one's grace at once
        }
        if (grace == 0) {
            stopping.add(secret.sha256());
        }
        List<String> retired = new ArrayList<>(retiredSecretSha256s);
        retired.addAll(stopping);
        apply(new SecretRotated(keyId, accountId, mode, applicationId, command.newSecret(), secret.sha256(), now.plusSeconds(grace),
                List.copyOf(stopping), List.copyOf(retired), command.actor(), now, command.requestId()));
        return snapshot();
    }

    @CommandHandler
    public KeySnapshot patch(PatchKey command, Clock clock) {
        requireOwner(command.accountId(), command.mode());
        requireNotDeleted();
        requireNotRevoked();
        if (command.expectedVersion() != null && command.expectedVersion() != version) {
            throw new KeyCommandRejected(Rejection.VERSION_MISMATCH,
                    "The key changed since version " + command.expectedVersion() + "; it is now at " + version,
                    Map.of("reason", "version_mismatch", "current_version", version));
        }
        if (command.changesNothing()) {
            throw new KeyCommandRejected(Rejection.NOTHING_TO_CHANGE,
                    "Name at least one of name, permissions, expires_at, status, metadata",
                    Map.of("reason", "nothing_to_change"));
        }
        Instant now = clock.instant();
        KeyStatus newStatus = command.status() == null ? status : parseStatus(command.status().value());
        KeyChanges changes = new KeyChanges(
                command.name() == null ? null : change(name, KeyRules.name(command.name().value())),
                command.permissions() == null ? null
                        : change(permissions, KeyRules.permissions(command.permissions().value())),
                command.expiresAt() == null ? null
                        : change(expiresAt, KeyRules.expiresAt(command.expiresAt().value(), now)),
                command.metadata() == null ? null : change(metadata, KeyRules.metadata(command.metadata().value())));
        if (newStatus != status && status == KeyStatus.EXPIRED) {
            throw new KeyCommandRejected(Rejection.KEY_EXPIRED, "The status of an expired key cannot change",
                    Map.of("reason", "key_expired", "field", "status"));
        }
        if (!changes.isEmpty()) {
            apply(new KeyUpdated(keyId, accountId, mode, changes, command.actor(), now, command.requestId()));
        }
        if (newStatus == KeyStatus.INACTIVE && status == KeyStatus.ACTIVE) {
            apply(new KeyDeactivated(keyId, accountId, mode, command.actor(), now, command.requestId()));
        } else if (newStatus == KeyStatus.ACTIVE && status == KeyStatus.INACTIVE) {
            apply(new KeyActivated(keyId, accountId, mode, command.actor(), now, command.requestId()));
        }
        return snapshot();
    }

    @CommandHandler
    public KeySnapshot softDelete(SoftDeleteKey command, Clock clock) {
        requireOwner(command.accountId(), command.mode());
        if (deleted) {
            throw notFound(); // deleting again: as if the key did not exist
        }
        Instant now = clock.instant();
        apply(new KeyDeleted(keyId, accountId, mode, applicationId, allSecretHashes(now), command.actor(), now,
                command.requestId()));
        return snapshot();
    }

    @CommandHandler
    public KeySnapshot revoke(RevokeKey command, Clock clock) {
        requireOwner(command.accountId(), command.mode());
        if (deleted || !command.applicationId().equals(applicationId)) {
            throw notFound();
        }
        requireNotRevoked();
        Instant now = clock.instant();
        apply(new KeyRevoked(keyId, accountId, mode, applicationId, allSecretHashes(now), command.actor(), now,
                command.requestId()));
        return snapshot();
    }

    @EventSourcingHandler
    void on(KeyCreated event) {
        keyId = event.keyId();
        accountId = event.accountId();
        mode = event.mode();
        applicationId = event.applicationId();
        name = event.name();
        type = event.type();
        permissions = event.permissions();
        metadata = event.metadata();
        expiresAt = event.expiresAt();
        managed = event.managed();
        status = KeyStatus.ACTIVE;
        secret = event.secret();
        createdAt = event.occurredAt();
        advance(event);
    }

    @EventSourcingHandler
    void on(SecretRotated event) {
        retiredSecretSha256s = new ArrayList<>(event.retiredSecretSha256s());
        previousSecretSha256 = event.previousSecretSha256();
        previousSecretValidUntil = event.previousSecretValidUntil();
        secret = event.newSecret();
        advance(event);
    }

    @EventSourcingHandler
    void on(KeyUpdated event) {
        KeyChanges changes = event.changes();
        if (changes.name() != null) {
            name = changes.name().after();
        }
        if (changes.permissions() != null) {
            permissions = changes.permissions().after();
        }
        if (changes.expiresAt() != null) {
            expiresAt = changes.expiresAt().after();
        }
        if (changes.metadata() != null) {
            metadata = changes.metadata().after();
        }
        advance(event);
    }

    @EventSourcingHandler
    void on(KeyDeactivated event) {
        status = KeyStatus.INACTIVE;
        advance(event);
    }

    @EventSourcingHandler
    void on(KeyActivated event) {
        status = KeyStatus.ACTIVE;
        advance(event);
    }

    @EventSourcingHandler
    void on(KeyRevoked event) {
        status = KeyStatus.REVOKED;
        advance(event);
    }

    @EventSourcingHandler
    void on(KeyDeleted event) {
        status = KeyStatus.REVOKED;
        deleted = true;
        advance(event);
    }

    private void advance(KeyEvent event) {
        updatedAt = event.occurredAt();
        version++;
    }

    public KeySnapshot snapshot() {
        return new KeySnapshot(keyId, accountId, mode, applicationId, name, type, secret.hint(), permissions,
                metadata, status, expiresAt, managed, deleted, createdAt, updatedAt, version);
    }

    /** Every secret the key ever had: all stop when the key is revoked, deleted or expires. */
    private List<String> allSecretHashes(Instant now) {
        List<String> hashes = new ArrayList<>(retiredSecretSha256s);
        if (inGrace(now)) {
            hashes.add(previousSecretSha256);
        }
        hashes.add(secret.sha256());
        return List.copyOf(hashes);
    }

    private boolean inGrace(Instant now) {
        return previousSecretSha256 != null && previousSecretValidUntil != null
                && previousSecretValidUntil.isAfter(now) && !retiredSecretSha256s.contains(previousSecretSha256);
    }

    private void requireOwner(AccountId account, Mode requestedMode) {
        // another account's or the other mode's key is indistinguishable from a missing one
        if (!accountId.equals(account) || mode != requestedMode) {
            throw notFound();
        }
    }

    private void requireNotDeleted() {
        if (deleted) {
            throw new KeyCommandRejected(Rejection.KEY_DELETED, "The key is deleted and can no longer change",
                    Map.of("reason", "key_deleted"));
        }
    }

    private void requireNotRevoked() {
        if (status == KeyStatus.REVOKED) {
            throw new KeyCommandRejected(Rejection.KEY_REVOKED, "The key is revoked and can no longer change",
                    Map.of("reason", "key_revoked"));
        }
    }

    private static KeyCommandRejected notFound() {
        return new KeyCommandRejected(Rejection.KEY_NOT_FOUND, "No such API key", Map.of("reason", "not_found"));
    }

    private static KeyStatus parseStatus(String value) {
        KeyStatus parsed = null;
        if (value != null) {
            try {
                parsed = KeyStatus.valueOf(value.toUpperCase(Locale.ROOT).equals(value) ? value : "?");
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
        }
        if (parsed == null || !parsed.settableByClient()) {
            throw KeyCommandRejected.invalid("status", "invalid_status", "status may only be set to ACTIVE or INACTIVE");
        }
        return parsed;
    }

    private static <T> FieldChange<T> change(T before, T after) {
        return Objects.equals(before, after) ? null : new FieldChange<>(before, after);
    }
}
