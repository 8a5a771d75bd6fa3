package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.error.Unavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 401, 403 and firewall rejections from the security filters, in the same envelopes as every other error.
 * A refused credential is reported to the {@link FailedAuthenticationGuard}; from a blocked source it is answered
 * 429 with {@code Retry-After} instead of 401.
 */
class EnvelopeSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final ErrorResponses errors;
    private final FailedAuthenticationGuard guard;

    EnvelopeSecurityHandlers(ErrorResponses errors, FailedAuthenticationGuard guard) {
        this.errors = errors;
        this.guard = guard;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // only a presented bearer credential that was refused is a failed attempt; no header or another scheme
        // (Basic) tries nothing and costs nothing to refuse, so it is not counted and always stays 401
        if (e instanceof AuthenticationServiceException) {
            response.setHeader("Retry-After", Integer.toString(Unavailable.RETRY_AFTER_SECONDS));
            errors.write(request, response, Unavailable.error());
            return;
        }
        if (e instanceof UsageLimitExceeded refused) {
            // the credential is good, its own limits refuse: not a failed attempt, so the guard does not count it
            Map<String, Object> details = new LinkedHashMap<>();
            refused.retryAfterSeconds().ifPresent(seconds -> {
                response.setHeader("Retry-After", Long.toString(seconds));
                details.put("retry_after_seconds", seconds);
            });
            if (!refused.rateLimitPolicy().isEmpty()) {
                response.setHeader("RateLimit-Policy", refused.rateLimitPolicy());
            }
            if (!refused.rateLimit().isEmpty()) {
                response.setHeader("RateLimit", refused.rateLimit());
            }
            errors.write(request, response, new ApiError(429, refused.reason(), refused.reason().equals("rate_limited")
                    ? "The key's rate limit is exhausted for now" : "The key has no credits left", details));
            return;
        }
        boolean presented = e instanceof OAuth2AuthenticationException;
        if (presented) {
            FailedAuthenticationGuard.Verdict verdict = guard.recordFailure(request.getRemoteAddr());
            if (verdict.blocked()) {
                response.setHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
                errors.write(request, response, new ApiError(429, "too_many_failed_authentications",
                        "Too many failed authentications from this address: retry later",
                        Map.of("retry_after_seconds", verdict.retryAfterSeconds())));
                return;
            }
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        errors.write(request, response, presented
                ? ApiError.of(401, "invalid_token", "The credential is invalid, expired or not accepted")
                : ApiError.of(401, "unauthenticated", "Authentication required: send Authorization: Bearer <token>"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        errors.write(request, response, ApiError.of(403, "forbidden", "This credential may not do this"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        errors.write(request, response, ApiError.rejectedRequest());
    }
}
