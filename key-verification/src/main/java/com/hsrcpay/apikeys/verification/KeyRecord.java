package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;

import java.time.Instant;
import java.util.UUID;

/**
 * What verification needs to know about the key a secret belongs to. {@code secretValidUntil} is set only
 * for a previous secret in its rotation grace.
 */
public record KeyRecord(UUID keyId, String accountId, Mode mode, KeyType type, Permissions permissions,
                        KeyStatus status, boolean deleted, Instant expiresAt, Instant secretValidUntil,
                        String secretSha256) {

    public KeyOwner owner() {
        return new KeyOwner(accountId, mode);
    }
}
