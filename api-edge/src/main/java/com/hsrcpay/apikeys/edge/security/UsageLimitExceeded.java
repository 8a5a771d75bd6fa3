package com.hsrcpay.apikeys.edge.security;

import org.springframework.security.core.AuthenticationException;

import java.util.OptionalLong;

/**
 * A secret key used as the credential is valid, but its own rate limits or credits refuse this request: answered
 * 429 with {@code reason} ({@code rate_limited} or {@code usage_exceeded}), {@code Retry-After} when the refusal can
 * end, and the IETF {@code RateLimit-Policy} / {@code RateLimit} fields when the key has limits. Not a failed
 * authentication: the brute-force guard does not count it.
 */
public class UsageLimitExceeded extends AuthenticationException {

    private final String reason;
    private final transient OptionalLong retryAfterSeconds;
    private final String rateLimitPolicy;
    private final String rateLimit;

    public UsageLimitExceeded(String reason, OptionalLong retryAfterSeconds, String rateLimitPolicy, String rateLimit) {
        super("The key's own usage limits refuse this request (" + reason + ")");
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
        this.rateLimitPolicy = rateLimitPolicy;
        this.rateLimit = rateLimit;
    }

    public String reason() {
        return reason;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The {@code RateLimit-Policy} field value; empty when the key has no limits. */
    public String rateLimitPolicy() {
        return rateLimitPolicy;
    }

    /** The {@code RateLimit} field value; empty when no limit applied. */
    public String rateLimit() {
        return rateLimit;
    }
}
