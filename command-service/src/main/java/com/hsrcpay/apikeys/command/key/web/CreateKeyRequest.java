package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.shared.key.KeyType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /v1/api-keys/}; unknown fields are refused by the strict JSON of the edge. */
public record CreateKeyRequest(
        String name,
        Map<String, List<String>> permissions,
        KeyType type,
        Instant expiresAt,
        Map<String, Object> metadata,
        Boolean managed,
        String applicationId) {
}
