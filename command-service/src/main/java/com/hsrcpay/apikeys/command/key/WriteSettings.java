package com.hsrcpay.apikeys.command.key;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code kms.writes.*}: how long a write waits for its turn on a busy key before 409 {@code concurrent_modification}
 * ({@code key-turn-wait}), and how long a concurrent retry of an idempotent create waits for the first one
 * ({@code idempotent-retry-wait}). Both below the clients' usual timeouts, so an answer always comes first.
 */
@ConfigurationProperties("kms.writes")
public record WriteSettings(@DefaultValue("1200ms") Duration keyTurnWait, @DefaultValue("5s") Duration idempotentRetryWait) {
}
