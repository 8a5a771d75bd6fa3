package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;

import java.time.Instant;
import java.util.Map;

/** A key as a write left it: what the write endpoints answer with. {@code version} counts the key's events. */
public record KeySnapshot(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        String name,
        KeyType type,
        String secretHint,
        Permissions permissions,
        Map<String, Object> metadata,
        KeyStatus status,
        Instant expiresAt,
        boolean managed,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
