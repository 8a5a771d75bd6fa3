package com.hsrcpay.apikeys.edge.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.util.List;

/** Spring Security's view of a {@link Caller}; permissions are checked on the caller, not as authorities. */
public class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    public CallerAuthentication(Caller caller) {
        super(List.of());
        this.caller = caller;
        setAuthenticated(true);
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
