package com.hsrcpay.apikeys.query.webhook.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: Standard Webhooks' recommended schedule, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h
 * and 10 h after the failures in turn (about a day and a quarter in all), then the delivery has failed.
 */
public final class RetrySchedule {

    public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));

    private RetrySchedule() {
    }

    /** The next attempt after the {@code failedAttempts}-th failed scheduled attempt at {@code at}; empty: give up. */
    public static Optional<Instant> nextAttempt(int failedAttempts, Instant at) {
        if (failedAttempts < 1 || failedAttempts > DELAYS.size()) {
            return Optional.empty();
        }
        return Optional.of(at.plus(DELAYS.get(failedAttempts - 1)));
    }
}
