package com.hsrcpay.apikeys.edge.envelope;

import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code api_key} object, as both services write it. {@code key} holds the plaintext only
 * in the response that issues it, the masked form everywhere else. {@code version} is the key's ETag.
 */
@Schema(name = "ApiKey", description = "An API key. Every field is always present; the nullable ones as null.",
        requiredProperties = {"object", "id", "account_id", "application_id", "name", "type", "key", "last_used_ip",
                "metadata", "permissions", "status", "last_used_at", "expires_at", "managed", "deleted", "created_at",
                "updated_at", "version", "ratelimits", "credits"})
public record ApiKeyObject(
        @Schema(allowableValues = OBJECT) String object,
        @Schema(format = "uuid") String id,
        String accountId,
        @Schema(format = "uuid", nullable = true, description = "set for application keys") String applicationId,
        String name,
        @Schema(allowableValues = {"SECRET", "PUBLISHABLE"}) String type,
        @Schema(description = "the plaintext secret in the one response that issues it, else its masked hint")
        String key,
        @Schema(nullable = true) String lastUsedIp,
        Map<String, Object> metadata,
        @Schema(description = "resource -> actions, e.g. {\"account:api:key\": [\"read\"]}")
        Map<String, List<String>> permissions,
        @Schema(allowableValues = {"ACTIVE", "INACTIVE", "EXPIRED", "REVOKED"}) String status,
        @Schema(nullable = true) Instant lastUsedAt,
        @Schema(nullable = true) Instant expiresAt,
        boolean managed,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "the key's number of events; its ETag") long version,
        @Schema(description = "the key's rate limits, [] for none") List<RateLimit> ratelimits,
        @Schema(nullable = true, description = "null: unlimited. remaining: on reads the live value (less what "
                + "verifications spent, at most a second behind); in history, as_of and a write's answer as the "
                + "key's events set it")
        KeyCredits credits) {

    public static final String OBJECT = "api_key";

    /** The same key with the live remaining credits (reads show them; verifications spend without events). */
    public ApiKeyObject withRemainingCredits(long live) {
        return new ApiKeyObject(object, id, accountId, applicationId, name, type, key, lastUsedIp, metadata, permissions,
                status, lastUsedAt, expiresAt, managed, deleted, createdAt, updatedAt, version, ratelimits,
                credits == null ? null : credits.withRemaining(live));
    }

    /**
     * The one way from a key's state to its wire object. {@code key}: the plaintext in the one response that issues
     * it, else the masked hint; the last use comes from usage recording, not from events.
     */
    public static ApiKeyObject of(KeyState state, String key, String lastUsedIp, Instant lastUsedAt) {
        return new ApiKeyObject(OBJECT, state.keyId().toString(), state.accountId().value(),
                state.applicationId() == null ? null : state.applicationId().toString(), state.name(),
                state.type().name(), key, lastUsedIp, state.metadata(), state.permissions().grants(),
                state.status().name(), lastUsedAt, state.expiresAt(), state.managed(), state.deleted(),
                state.createdAt(), state.updatedAt(), state.version(), state.ratelimits(),
                KeyCredits.of(state.credits(), state.lastRefillAt()));
    }
}
