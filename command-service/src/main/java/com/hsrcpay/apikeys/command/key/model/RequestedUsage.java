package com.hsrcpay.apikeys.command.key.model;

import java.util.List;

/**
 * Usage control as a request asks for it, before validation ({@link KeyRules#ratelimits}, {@link KeyRules#credits}):
 * the JSON shapes of the contract's {@code ratelimits} and {@code credits}, every field nullable so that a missing one
 * is reported by name.
 */
public final class RequestedUsage {

    private RequestedUsage() {
    }

    /** One entry of {@code ratelimits}: {@code {"name", "limit", "duration_ms"}}. */
    public record RateLimit(String name, Long limit, Long durationMs) {
    }

    /** {@code credits}: {@code {"remaining", "refill"}}; {@code refill} null or absent: no refill. */
    public record Credits(Long remaining, Refill refill) {
    }

    /** {@code credits.refill}: {@code {"interval": "daily" | "monthly", "amount", "refill_day"}}. */
    public record Refill(String interval, Long amount, Integer refillDay) {
    }

}
