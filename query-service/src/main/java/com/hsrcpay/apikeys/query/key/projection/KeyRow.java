package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.key.KeyStatus;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** A {@code read_model.api_key} row in memory; metadata and permissions are held as their JSON text. */
final class KeyRow {

    UUID keyId;
    String accountId;
    String mode;
    UUID applicationId;
    String name;
    String type;
    String secretHint;
    String metadata;
    String permissions;
    KeyStatus status;
    Instant expiresAt;
    boolean managed;
    boolean deleted;
    Instant createdAt;
    Instant updatedAt;
    long version;

    static KeyRow created(KeyCreated event, long version, Function<Object, String> json) {
        KeyRow row = new KeyRow();
        row.keyId = event.keyId().value();
        row.accountId = event.accountId().value();
        row.mode = event.mode().wireName();
        row.applicationId = event.applicationId() == null ? null : event.applicationId().value();
        row.name = event.name();
        row.type = event.type().name();
        row.secretHint = event.secret().hint();
        row.metadata = json.apply(event.metadata());
        row.permissions = json.apply(event.permissions());
        row.status = KeyStatus.ACTIVE;
        row.expiresAt = event.expiresAt();
        row.managed = event.managed();
        row.deleted = false;
        row.createdAt = event.occurredAt();
        row.updatedAt = event.occurredAt();
        row.version = version;
        return row;
    }
}
