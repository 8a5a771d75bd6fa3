package com.hsrcpay.apikeys.edge.security;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} field values (draft-ietf-httpapi-ratelimit-headers) of a
 * request a secret key with rate limits authenticated: its limits, and what remains of each after this request.
 * Empty strings when the key has no limits (nothing is sent).
 */
public record RateLimitFields(String policy, String remaining) {

    public static final RateLimitFields NONE = new RateLimitFields("", "");

    public RateLimitFields {
        policy = policy == null ? "" : policy;
        remaining = remaining == null ? "" : remaining;
    }

    public boolean present() {
        return !policy.isEmpty() || !remaining.isEmpty();
    }
}
