package com.hsrcpay.apikeys.command.exposure.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hsrcpay.apikeys.edge.security.FailedAuthenticationGuard;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The public report's limit per client address (the contract's client address, set by ClientAddressValve; IPv6 per
 * /64 as the brute-force guard counts): {@code perMinute} requests a minute, Bucket4j token buckets refilled evenly
 * over the minute. At most {@code maxSources} addresses are remembered (Caffeine, least recently used out first; an
 * address idle for two minutes has a full bucket anyway and is dropped).
 */
public class ReportRateLimit {

    private final int perMinute;
    private final Cache<String, Bucket> buckets;

    public ReportRateLimit(int perMinute, int maxSources) {
        this.perMinute = perMinute;
        this.buckets = Caffeine.newBuilder().maximumSize(maxSources).expireAfterAccess(Duration.ofMinutes(2)).build();
    }

    /** Takes one request of {@code clientAddress}'s allowance: empty when admitted, else seconds until one is free. */
    public OptionalLong admit(String clientAddress) {
        String source = FailedAuthenticationGuard.sourceOf(clientAddress == null ? "" : clientAddress);
        Bucket bucket = buckets.get(source, s -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
