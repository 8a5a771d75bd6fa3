package com.hsrcpay.apikeys.verification.usage;

import java.time.Instant;

/**
 * One applied rate limit in a verification's answer: {@code remaining} after this verification (before it when it was
 * refused), {@code resetAt} when {@code remaining} next grows (the end of the fixed window), and whether this limit is
 * what refused it.
 */
public record LimitState(String name, long limit, long remaining, Instant resetAt, boolean exceeded) {
}
