package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

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
     * A refill: {@code amount} credits are added daily, or monthly on {@code refillDay} (1..31, the month's last day
     * when it is shorter; null for a daily refill; a monthly refill without it refills on the 1st).
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
    }
}
