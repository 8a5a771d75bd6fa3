package com.hsrcpay.apikeys.edge.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The one place the RateLimit fields of an admitted request are written: right after bearer authentication, before
 * anything answers, for a request a secret key with rate limits authenticated (its 429 carries them from the
 * security handlers). The answer then says what remains of each of the key's limits, whatever its status.
 */
public class RateLimitFieldsFilter extends OncePerRequestFilter {

    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        if (authentication instanceof CallerAuthentication caller && caller.rateLimits().present()) {
            RateLimitFields fields = caller.rateLimits();
            if (!fields.policy().isEmpty()) {
                response.setHeader(RATE_LIMIT_POLICY, fields.policy());
            }
            if (!fields.remaining().isEmpty()) {
                response.setHeader(RATE_LIMIT, fields.remaining());
            }
        }
        chain.doFilter(request, response);
    }
}
