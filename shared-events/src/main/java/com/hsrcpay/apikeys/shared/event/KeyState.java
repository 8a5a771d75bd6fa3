package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key as its events made it ({@link KeyFold#evolve}): every field of the contract's {@code api_key} object that
 * events decide ({@code last_used_*} are not events), {@code version} = events folded, and the secrets that still
 * work, by SHA-256, each with the end of its rotation grace (null: no end). Never a plaintext; the secret appears as
 * its masked {@code secretHint}. {@code ratelimits} and {@code credits} (null: unlimited) are as configured and adjusted
 * by events; verifications spend credits without events, so the live remaining is the usage-control balance's.
 * {@code lastRefillAt}: when the last {@link CreditsRefilled} was applied (null: never refilled).
 */
public record KeyState(
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
        long version,
        Map<String, Instant> usableSecrets,
        List<RateLimit> ratelimits,
        Credits credits,
        Instant lastRefillAt) {

    public KeyState {
        // a null end means "no end": copied keeping nulls, and unmodifiable
        usableSecrets = Collections.unmodifiableMap(new LinkedHashMap<>(usableSecrets));
        ratelimits = ratelimits == null ? List.of() : List.copyOf(ratelimits);
    }

    /** Whether nothing can happen to the key any more but reads: deleted, revoked or expired. */
    public boolean terminated() {
        return deleted || status == KeyStatus.REVOKED || status == KeyStatus.EXPIRED;
    }
}
