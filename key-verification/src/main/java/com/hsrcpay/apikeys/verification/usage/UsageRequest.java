package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One verification's question to {@link UsageControl#check}: the key, its limits and whether it has credits (key
 * state), and what the request costs.
 *
 * @param keyLimits      the key's rate limits ({@code []} for none)
 * @param keyHasCredits  false for an unlimited key (credits null): credits are neither checked nor spent
 * @param nextRefillAt   when the key's credits refill next (null: never); gives a usage refusal its Retry-After
 * @param creditCost     the request's {@code credits.cost} (0..1000), null for the default (1)
 * @param limitCosts     the request's {@code ratelimits}, naming exactly the limits applied; null for the default
 *                       (every limit of the key, cost 1). An unknown name is the caller's 400:
 *                       {@link UsageControl#unknownLimit} finds it first.
 */
public record UsageRequest(UUID keyId, List<RateLimit> keyLimits, boolean keyHasCredits, Instant nextRefillAt,
                           Long creditCost, List<LimitCost> limitCosts) {

    public UsageRequest {
        if (keyId == null || keyLimits == null) {
            throw new IllegalArgumentException("a usage request names its key and the key's limits");
        }
        keyLimits = List.copyOf(keyLimits);
        limitCosts = limitCosts == null ? null : List.copyOf(limitCosts);
        if (creditCost != null) {
            LimitCost.requireCost(creditCost);
        }
    }

    /** A request with the default costs: 1 credit (when the key has credits) and 1 of each of the key's limits. */
    public static UsageRequest byDefault(UUID keyId, List<RateLimit> keyLimits, boolean keyHasCredits,
                                         Instant nextRefillAt) {
        return new UsageRequest(keyId, keyLimits, keyHasCredits, nextRefillAt, null, null);
    }

    long effectiveCreditCost() {
        return !keyHasCredits ? 0 : creditCost == null ? 1 : creditCost;
    }
}
