package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A key's usage credits as configured: how many remain at the moment of configuring them, and how they refill
 * (null: never). A key without credits (null where a {@code Credits} would be) is unlimited. What remains after
 * verifications is live usage state, not part of this value once the key is in use.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Credits(long remaining, Refill refill) {

    public static final long MAX_REMAINING = 1_000_000_000_000L;

    public Credits {
        if (remaining < 0 || remaining > MAX_REMAINING) {
            throw new IllegalArgumentException("remaining must be between 0 and " + MAX_REMAINING);
        }
    }

    /**
     * A refill: at each refill the remaining credits become {@code amount} (a quota per period, as Unkey's refills:
     * unused credits do not accumulate, and a refill that happens twice is still one refill), daily at 00:00 UTC or
     * monthly on {@code refillDay} at 00:00 UTC (1..31, the month's last day when it is shorter; null for a daily
     * refill; a monthly refill without it refills on the 1st).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Refill(Interval interval, long amount, Integer refillDay) {

        public enum Interval {
            @JsonProperty("daily") DAILY,
            @JsonProperty("monthly") MONTHLY
        }

        public Refill {
            if (interval == null) {
                throw new IllegalArgumentException("interval must be daily or monthly");
            }
            if (amount < 1 || amount > MAX_REMAINING) {
                throw new IllegalArgumentException("amount must be between 1 and " + MAX_REMAINING);
            }
            if (interval == Interval.DAILY && refillDay != null) {
                throw new IllegalArgumentException("refill_day is for monthly refills only");
            }
            if (interval == Interval.MONTHLY) {
                refillDay = refillDay == null ? 1 : refillDay;
                if (refillDay < 1 || refillDay > 31) {
                    throw new IllegalArgumentException("refill_day must be between 1 and 31");
                }
            }
        }

        /** The first refill strictly after {@code instant}: the one rule of when refills happen. */
        public Instant nextAfter(Instant instant) {
            LocalDate day = instant.atOffset(ZoneOffset.UTC).toLocalDate();
            if (interval == Interval.DAILY) {
                return day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            YearMonth month = YearMonth.from(day);
            for (int i = 0; ; i++) {
                YearMonth candidate = month.plusMonths(i);
                Instant at = candidate.atDay(Math.min(refillDay, candidate.lengthOfMonth())).atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
                if (at.isAfter(instant)) {
                    return at;
                }
            }
        }
    }
}
