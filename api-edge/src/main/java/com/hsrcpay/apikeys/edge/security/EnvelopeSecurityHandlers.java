package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/** 401, 403 and firewall rejections from the security filters, in the same envelopes as every other error. */
class EnvelopeSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final ErrorResponses errors;

    EnvelopeSecurityHandlers(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        boolean presented = e instanceof OAuth2AuthenticationException;
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
