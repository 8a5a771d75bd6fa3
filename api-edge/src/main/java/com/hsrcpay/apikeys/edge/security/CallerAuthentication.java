package com.hsrcpay.apikeys.edge.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.util.List;

/** Spring Security's view of a {@link Caller}; permissions are checked on the caller, not as authorities. */
public class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;
    private final RateLimitFields rateLimits;

    public CallerAuthentication(Caller caller) {
        this(caller, RateLimitFields.NONE);
    }

    /** A secret key's caller, with what its rate limits say of this request ({@link RateLimitFieldsFilter}). */
    public CallerAuthentication(Caller caller, RateLimitFields rateLimits) {
        super(List.of());
        this.caller = caller;
        this.rateLimits = rateLimits;
        setAuthenticated(true);
    }

    public RateLimitFields rateLimits() {
        return rateLimits;
    }

    @Override
    public Object getCredentials() {
        return ""; // the presented token is not kept
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }
}
