package com.hsrcpay.apikeys.edge.envelope;

import com.hsrcpay.apikeys.shared.event.KeyState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code api_key} object, as both services write it. {@code key} holds the plaintext only
 * in the response that issues it, the masked form everywhere else. {@code version} is the key's ETag.
 */
public record ApiKeyObject(
        String object,
        String id,
        String accountId,
        String applicationId,
        String name,
        String type,
        String key,
        String lastUsedIp,
        Map<String, Object> metadata,
        Map<String, List<String>> permissions,
        String status,
        Instant lastUsedAt,
        Instant expiresAt,
        boolean managed,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final String OBJECT = "api_key";

    /**
     * The one way from a key's state to its wire object. {@code key}: the plaintext in the one response that issues
     * it, else the masked hint; the last use comes from usage recording, not from events.
     */
    public static ApiKeyObject of(KeyState state, String key, String lastUsedIp, Instant lastUsedAt) {
        return new ApiKeyObject(OBJECT, state.keyId().toString(), state.accountId().value(),
                state.applicationId() == null ? null : state.applicationId().toString(), state.name(),
                state.type().name(), key, lastUsedIp, state.metadata(), state.permissions().grants(),
                state.status().name(), lastUsedAt, state.expiresAt(), state.managed(), state.deleted(),
                state.createdAt(), state.updatedAt(), state.version());
    }
}
