package com.hsrcpay.apikeys.shared.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} of a published key event: the facts of its type, snake_case. A secret appears only as its SHA-256
 * (hex) or its masked hint, never as plaintext. One record per shape; the AsyncAPI document describes each per type.
 */
public sealed interface KeyEventData {

    /** KeyCreated. {@code key_type} is the api_key object's {@code type}; {@code credits} null: unlimited. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Created(String applicationId, String name, String keyType, Map<String, List<String>> permissions,
                   Map<String, Object> metadata, Instant expiresAt, boolean managed, String secretSha256,
                   String secretHint, List<RateLimit> ratelimits, Credits credits) implements KeyEventData {
    }

    /** SecretRotated: the new secret, and which secrets stop now ({@code stopped_…}) or are dead so far ({@code retired_…}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SecretRotated(String applicationId, String newSecretSha256, String newSecretHint,
                         String previousSecretSha256, Instant previousSecretValidUntil,
                         List<String> stoppedSecretSha256s, List<String> retiredSecretSha256s) implements KeyEventData {
    }

    /** SecretRetired: a rotation's grace ended and the previous secret stopped; the key lives on. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SecretRetired(String applicationId, String retiredSecretSha256, List<String> retiredSecretSha256s)
            implements KeyEventData {
    }

    /** KeyUpdated: only the fields that changed are present. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Updated(Changes changes) implements KeyEventData {
    }

    /** The fields an update changed; one left as it was is absent. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Changes(Change<String> name, Change<Map<String, List<String>>> permissions, Change<Instant> expiresAt,
                   Change<Map<String, Object>> metadata, Change<List<RateLimit>> ratelimits, Change<Credits> credits) {
    }

    /** One changed field, as it was and as it became ({@code null} included: an expiry set or cleared). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Change<T>(T before, T after) {
    }

    /** KeyDeactivated, KeyActivated: the type says it all. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusChanged() implements KeyEventData {
    }

    /** CreditsAdjusted: {@code operation} set, increment or decrement (stops at 0) by {@code amount}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreditsAdjusted(String operation, long amount) implements KeyEventData {
    }

    /** CreditsRefilled: the remaining credits became {@code amount} at the refill instant {@code refilled_for}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreditsRefilled(long amount, Instant refilledFor) implements KeyEventData {
    }

    /**
     * KeyExposed: the key's secret was found in public and the key is revoked: every secret that no longer works, the
     * current one last, {@code source} ({@code github}, {@code public_report}) and {@code url} (null when unknown).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Exposed(String applicationId, List<String> revokedSecretSha256s, String source, String url)
            implements KeyEventData {
    }

    /** KeyRevoked, KeyDeleted, KeyExpired: every secret of the key that no longer works, the current one last. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Terminated(String applicationId, List<String> revokedSecretSha256s) implements KeyEventData {
    }
}
