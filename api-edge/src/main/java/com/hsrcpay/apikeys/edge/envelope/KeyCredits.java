package com.hsrcpay.apikeys.edge.envelope;

import com.hsrcpay.apikeys.shared.key.Credits;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * The {@code credits} of an answered key: the configured credits ({@link Credits}: what remains and how it refills)
 * and, from the key's events, when the last refill was applied. Documented as {@code Credits}
 * ({@code ApiDocumentation} completes the schema).
 */
@Schema(name = "Credits")
public record KeyCredits(
        long remaining,
        Credits.Refill refill,
        @Schema(nullable = true, description = "when the last refill was applied (its CreditsRefilled event: at the "
                + "refill's instant, or when the service came back after it); null: never refilled")
        Instant lastRefillAt) {

    /** The answered credits of a key, or null (unlimited) when it has none. */
    public static KeyCredits of(Credits credits, Instant lastRefillAt) {
        return credits == null ? null : new KeyCredits(credits.remaining(), credits.refill(), lastRefillAt);
    }

    /** The same credits with the live remaining (verifications spend credits without events). */
    public KeyCredits withRemaining(long live) {
        return new KeyCredits(live, refill, lastRefillAt);
    }
}
