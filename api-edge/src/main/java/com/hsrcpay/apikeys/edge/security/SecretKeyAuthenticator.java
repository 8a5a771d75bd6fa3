package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.shared.secret.SecretFormat;

import java.util.Optional;

/**
 * Turns a well-formed secret key ({@code sk_live_…}, checksum already checked) into the caller it acts for,
 * or nothing when the key is unknown, revoked, deleted, inactive or expired (all answered alike: 401).
 * A service that accepts keys as credentials provides one; without it, secret keys are refused.
 */
public interface SecretKeyAuthenticator {

    Optional<Authenticated> authenticate(SecretFormat.PresentedKey key, String clientAddress);

    /** The caller, and what its key's rate limits say of this admitted request (the answer's RateLimit fields). */
    record Authenticated(Caller caller, RateLimitFields rateLimits) {

        public Authenticated {
            rateLimits = rateLimits == null ? RateLimitFields.NONE : rateLimits;
        }
    }
}
