package com.hsrcpay.apikeys.verification.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code kms.usage-control.*} (env {@code KMS_USAGE_CONTROL_…}): the usage-control engine (rate limits, credits,
 * hourly usage). Off until the verify path uses it ({@code enabled}).
 *
 * @param syncIntervalMs        how often an instance shares its rate-limit admissions and renews its credit leases;
 *                              the cross-instance over-admission bound and the live-balance lag follow from it
 * @param maxLease              the most credits one lease takes beyond what the verification at hand needs (a lease
 *                              takes about a second of the key's spending on this instance, up to this)
 * @param leaseDivisor          a lease takes at most 1/divisor of the available credits (small balances go exact)
 * @param leaseValidityMs       an instance stops spending a lease it could not renew for this long
 * @param leaseReclaimAfterMs   a lease nobody renewed for this long (its instance crashed) goes back to the balance;
 *                              larger than the validity, so a paused instance has stopped spending before
 * @param leaseIdleMs           a lease unused for this long is given back
 * @param maxKeys               keys whose counters are kept in memory at once
 * @param usageFlushIntervalMs  how often hourly usage counts are written
 * @param maxUsageBuckets       (key, hour, outcome) counts waiting to be written; past it they are dropped, counted
 */
@ConfigurationProperties("kms.usage-control")
public record UsageControlSettings(@DefaultValue("false") boolean enabled,
                                   @DefaultValue("200") long syncIntervalMs,
                                   @DefaultValue("10000") long maxLease,
                                   @DefaultValue("16") long leaseDivisor,
                                   @DefaultValue("10000") long leaseValidityMs,
                                   @DefaultValue("60000") long leaseReclaimAfterMs,
                                   @DefaultValue("2000") long leaseIdleMs,
                                   @DefaultValue("100000") long maxKeys,
                                   @DefaultValue("10000") long usageFlushIntervalMs,
                                   @DefaultValue("200000") int maxUsageBuckets) {

    public UsageControlSettings {
        if (syncIntervalMs < 10 || maxLease < 0 || leaseDivisor < 1 || maxKeys < 1 || maxUsageBuckets < 1) {
            throw new IllegalArgumentException("kms.usage-control: sync-interval-ms >= 10, max-lease >= 0,"
                    + " lease-divisor >= 1, max-keys >= 1, max-usage-buckets >= 1");
        }
        if (leaseReclaimAfterMs < 2 * leaseValidityMs + syncIntervalMs) {
            throw new IllegalArgumentException("kms.usage-control.lease-reclaim-after-ms must be at least twice"
                    + " lease-validity-ms plus sync-interval-ms: a lease is reclaimed only after its holder stopped"
                    + " spending it");
        }
    }

    /** The defaults (what an unconfigured deployment runs with). */
    public static UsageControlSettings defaults() {
        return new UsageControlSettings(false, 200, 10_000, 16, 10_000, 60_000, 2_000, 100_000, 10_000, 200_000);
    }

    public Duration syncInterval() {
        return Duration.ofMillis(syncIntervalMs);
    }
}
