package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.regex.Pattern;

/**
 * One rate limit of a key: at most {@code limit} admitted per window of {@code durationMs} (contract: "Usage control").
 * The constructor holds the contract's bounds; the web layer reports a violation as 400 with the offending field.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RateLimit(String name, long limit, long durationMs) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9_.-]{1,40}");
    public static final long MAX_LIMIT = 1_000_000_000L;
    public static final long MIN_DURATION_MS = 1_000L;
    public static final long MAX_DURATION_MS = 86_400_000L;
    /** At most this many limits on one key. */
    public static final int MAX_PER_KEY = 10;

    public RateLimit {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 40 of [a-z0-9_.-]");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
            throw new IllegalArgumentException("duration_ms must be between " + MIN_DURATION_MS + " and "
                    + MAX_DURATION_MS);
        }
    }
}
