package com.hsrcpay.apikeys.command.key.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/api-keys/}; unknown fields are refused by the strict JSON of the edge. {@code type} is text
 * read exactly by the controller: Jackson's enum reading trims, so {@code "PUBLISHABLE "} would pass.
 */
public record CreateKeyRequest(
        String name,
        Map<String, List<String>> permissions,
        String type,
        Instant expiresAt,
        Map<String, Object> metadata,
        Boolean managed,
        String applicationId) {
}
