package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/api-keys/}; unknown fields are refused by the strict JSON of the edge. {@code type} is text
 * read exactly by the controller: Jackson's enum reading trims, so {@code "PUBLISHABLE "} would pass.
 * {@code ratelimits} and {@code credits} arrive as JSON trees, read by {@link PatchRequests} as in a patch, because
 * an absent {@code ratelimits} (none) and a null one (refused) differ.
 */
@Schema(name = "CreateKeyRequest", requiredProperties = {"name", "permissions"})
public record CreateKeyRequest(
        @Schema(minLength = 1, maxLength = 200) String name,
        @Schema(description = "resource -> actions; only permissions the caller holds can be granted")
        Map<String, List<String>> permissions,
        @Schema(allowableValues = {"SECRET", "PUBLISHABLE"}, defaultValue = "SECRET") String type,
        @Schema(nullable = true, description = "ISO-8601 with an offset, in the future") Instant expiresAt,
        @Schema(nullable = true) Map<String, Object> metadata,
        @Schema(defaultValue = "false", description = "managed keys can be regenerated") Boolean managed,
        @Schema(format = "uuid", nullable = true, description = "makes an application key") String applicationId,
        @ArraySchema(arraySchema = @Schema(description = "at most 10, names unique; absent: none. null is refused"),
                schema = @Schema(implementation = UsageRequests.RateLimitRequest.class), maxItems = 10)
        JsonNode ratelimits,
        @Schema(implementation = UsageRequests.CreditsRequest.class, nullable = true,
                description = "absent or null: unlimited") JsonNode credits) {
}
