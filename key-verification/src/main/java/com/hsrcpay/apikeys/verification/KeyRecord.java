package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What verification needs to know about the key a secret belongs to. {@code secretValidUntil} is set only
 * for a previous secret in its rotation grace; {@code ratelimits} and {@code credits} (null: unlimited) as the key's
 * events configured them.
 */
public record KeyRecord(UUID keyId, String accountId, Mode mode, KeyType type, Permissions permissions,
                        KeyStatus status, boolean deleted, Instant expiresAt, Instant secretValidUntil,
                        String secretSha256, List<RateLimit> ratelimits, Credits credits) {

    public KeyRecord {
        ratelimits = ratelimits == null ? List.of() : List.copyOf(ratelimits);
    }

    /** A key without usage control (no limits, unlimited credits). */
    public KeyRecord(UUID keyId, String accountId, Mode mode, KeyType type, Permissions permissions, KeyStatus status,
                     boolean deleted, Instant expiresAt, Instant secretValidUntil, String secretSha256) {
        this(keyId, accountId, mode, type, permissions, status, deleted, expiresAt, secretValidUntil, secretSha256,
                List.of(), null);
    }

    /** Whether a verification of this key asks usage control anything: it has limits or credits. */
    public boolean usageControlled() {
        return !ratelimits.isEmpty() || credits != null;
    }

    public KeyOwner owner() {
        return new KeyOwner(accountId, mode);
    }
}
