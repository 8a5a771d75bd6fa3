package com.hsrcpay.apikeys.query.webhook.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void standardWebhooksScheduleThenGiveUp() {
        assertThat(RetrySchedule.nextAttempt(1, AT)).contains(AT.plusSeconds(5));
        assertThat(RetrySchedule.nextAttempt(2, AT)).contains(AT.plus(Duration.ofMinutes(5)));
        assertThat(RetrySchedule.nextAttempt(3, AT)).contains(AT.plus(Duration.ofMinutes(30)));
        assertThat(RetrySchedule.nextAttempt(4, AT)).contains(AT.plus(Duration.ofHours(2)));
        assertThat(RetrySchedule.nextAttempt(5, AT)).contains(AT.plus(Duration.ofHours(5)));
        assertThat(RetrySchedule.nextAttempt(6, AT)).contains(AT.plus(Duration.ofHours(10)));
        assertThat(RetrySchedule.nextAttempt(7, AT)).contains(AT.plus(Duration.ofHours(10)));
        assertThat(RetrySchedule.nextAttempt(8, AT)).isEmpty();
        assertThat(RetrySchedule.DELAYS.stream().reduce(Duration.ZERO, Duration::plus))
                .as("about a day").isBetween(Duration.ofHours(24), Duration.ofHours(30));
    }
}
