package com.hsrcpay.apikeys.query.webhook.application;

import java.time.Clock;

/**
 * The sender's time (attempts, the retry schedule, claims): the system clock, or a test's own so that a retry hours
 * later is tested without waiting. A type of its own so that replacing it moves no other clock of the service.
 */
public record WebhookClock(Clock clock) {
}
