package com.hsrcpay.apikeys.command.key.web;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH /v1/api-keys/{id}} as the OpenAPI document describes it. The controller reads the body as
 * a JSON tree ({@link PatchRequests}), because "absent" and "null" mean different things here; this record only
 * documents the fields {@link PatchRequests} accepts.
 */
@Schema(name = "KeyPatch", minProperties = 1, description = "Only the fields sent change.")
record KeyPatch(
        @Schema(minLength = 1, maxLength = 200) String name,
        Map<String, List<String>> permissions,
        @Schema(nullable = true, description = "null clears the expiry") Instant expiresAt,
        @Schema(allowableValues = {"ACTIVE", "INACTIVE"}) String status,
        @Schema(nullable = true, description = "replaces the metadata; null clears it to {}") Map<String, Object> metadata,
        @ArraySchema(arraySchema = @Schema(description = "replaces the rate limits; [] clears them (null is refused)"),
                maxItems = 10) List<UsageRequests.RateLimitRequest> ratelimits,
        @Schema(nullable = true, description = "replaces the credits; null makes the key unlimited")
        UsageRequests.CreditsRequest credits) {
}
