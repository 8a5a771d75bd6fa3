package com.hsrcpay.apikeys.edge.envelope;

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
}
