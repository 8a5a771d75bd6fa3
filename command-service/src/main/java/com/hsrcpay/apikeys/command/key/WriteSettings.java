package com.hsrcpay.apikeys.command.key;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code kms.writes.*}: how long a write waits for its turn on a busy key before 409 {@code concurrent_modification}
 * ({@code key-turn-wait}), how long a concurrent retry of an idempotent create waits for the first one
 * ({@code idempotent-retry-wait}), both below the clients' usual timeouts so an answer always comes first; and how
 * long a finished idempotent create's answer is kept in memory for its retries ({@code idempotent-answer-memory}).
 */
@ConfigurationProperties("kms.writes")
public record WriteSettings(@DefaultValue("1200ms") Duration keyTurnWait,
                            @DefaultValue("5s") Duration idempotentRetryWait,
                            @DefaultValue("60s") Duration idempotentAnswerMemory) {
}
