package com.hsrcpay.apikeys.command.key.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How the OpenAPI document describes {@code ratelimits} and {@code credits} in a create or patch body. The controller
 * reads them as JSON trees into the command model's {@code RequestedUsage} ({@link PatchRequests}); these records only
 * document the accepted shapes, which differ from the answered ones (here {@code refill} and {@code refill_day} may be
 * left out).
 */
final class UsageRequests {

    private UsageRequests() {
    }

    @Schema(name = "RateLimitRequest", requiredProperties = {"name", "limit", "duration_ms"})
    record RateLimitRequest(
            @Schema(pattern = "^[a-z0-9_.-]{1,40}$", description = "unique among the key's limits") String name,
            @Schema(minimum = "1", maximum = "1000000000") Long limit,
            @Schema(minimum = "1000", maximum = "86400000", description = "the window, in milliseconds")
            Long durationMs) {
    }

    @Schema(name = "CreditsRequest", requiredProperties = {"remaining"})
    record CreditsRequest(
            @Schema(minimum = "0", maximum = "1000000000000") Long remaining,
            @Schema(nullable = true, description = "absent or null: never refilled") RefillRequest refill) {
    }

    @Schema(name = "RefillRequest", requiredProperties = {"interval", "amount"})
    record RefillRequest(
            @Schema(allowableValues = {"daily", "monthly"}) String interval,
            @Schema(minimum = "1", maximum = "1000000000000") Long amount,
            @Schema(minimum = "1", maximum = "31", nullable = true,
                    description = "monthly only (400 with daily); the month's last day when it is shorter; default 1")
            Integer refillDay) {
    }
}
