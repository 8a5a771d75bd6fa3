package com.hsrcpay.apikeys.verification.usage;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Usage control's answer about one verification. A refused verification consumed nothing, neither credits nor any
 * limit.
 *
 * @param refusal          null when admitted
 * @param creditsRemaining the key's credits after this verification; null for a key without credits (unlimited)
 * @param limits           the limits applied, in the order asked (the key's order by default)
 * @param decidedAt        the instant the verdict was made (Retry-After and the headers count from it)
 * @param nextRefillAt     when a usage refusal can end (null: never, so no Retry-After)
 */
public record UsageVerdict(UsageRefusal refusal, Long creditsRemaining, List<LimitState> limits, Instant decidedAt,
                           Instant nextRefillAt) {

    public UsageVerdict {
        limits = List.copyOf(limits);
    }

    public boolean admitted() {
        return refusal == null;
    }

    /**
     * Retry-After in seconds for a refusal: until every exceeded limit's window ends, or until the next refill; empty
     * when admitted, and for a usage refusal without a refill.
     */
    public OptionalLong retryAfterSeconds() {
        if (refusal == UsageRefusal.RATE_LIMITED) {
            return OptionalLong.of(limits.stream().filter(LimitState::exceeded)
                    .mapToLong(limit -> secondsUntil(limit.resetAt())).max().orElse(1));
        }
        if (refusal == UsageRefusal.USAGE_EXCEEDED && nextRefillAt != null) {
            return OptionalLong.of(secondsUntil(nextRefillAt));
        }
        return OptionalLong.empty();
    }

    /**
     * The {@code RateLimit-Policy} field value (draft-ietf-httpapi-ratelimit-headers-10/-11, a structured-field List):
     * one item per limit, the policy name as an sf-string with the quota {@code q} and window {@code w} in seconds
     * (rounded up: windows are whole milliseconds). Empty when the key has no limits.
     */
    public String rateLimitPolicyHeader(List<com.hsrcpay.apikeys.shared.key.RateLimit> keyLimits) {
        return keyLimits.stream().map(limit -> quoted(limit.name()) + ";q=" + limit.limit() + ";w="
                + ceilDiv(limit.durationMs(), 1000)).collect(Collectors.joining(", "));
    }

    /**
     * The {@code RateLimit} field value: one item per applied limit with what remains {@code r} and the seconds until
     * it grows {@code t}. Empty when no limit applied.
     */
    public String rateLimitHeader() {
        return limits.stream().map(limit -> quoted(limit.name()) + ";r=" + limit.remaining() + ";t="
                + Math.max(0, ceilDiv(limit.resetAt().toEpochMilli() - decidedAt.toEpochMilli(), 1000)))
                .collect(Collectors.joining(", "));
    }

    private long secondsUntil(Instant at) {
        return Math.max(1, ceilDiv(at.toEpochMilli() - decidedAt.toEpochMilli(), 1000));
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    /** Limit names are [a-z0-9_.-]: nothing to escape in an sf-string. */
    private static String quoted(String name) {
        return '"' + name + '"';
    }
}
