package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Enumeration;
import java.util.List;

/**
 * 400 for a request that sends a header the API reads once more than once: with two {@code Authorization} headers
 * the servlet API would hand out the first and some proxy in front might have judged the second.
 */
public class SingleValuedHeaders extends OncePerRequestFilter {

    static final List<String> HEADERS = List.of("Authorization", "Idempotency-Key", "If-Match", "Content-Type",
            "X-Consistency-Token", "X-Request-Id");

    private final ErrorResponses errors;

    public SingleValuedHeaders(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String header : HEADERS) {
            Enumeration<String> values = request.getHeaders(header);
            if (values != null && values.hasMoreElements()) {
                values.nextElement();
                if (values.hasMoreElements()) {
                    errors.write(request, response, ApiError.invalidField(header, "duplicate_header",
                            "The " + header + " header may be sent only once"));
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
