package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Rules for headers before anything reads them. A header the API reads once, sent more than once, is 400: with two
 * {@code Authorization} headers the servlet API would hand out the first and some proxy in front might have judged
 * the second. A blank {@code Accept} is taken as no {@code Accept} (any type): Spring Boot's Prometheus endpoint
 * fails on it with a NullPointerException, and it says nothing a client could mean otherwise.
 */
public class HeaderRules extends OncePerRequestFilter {

    static final List<String> HEADERS = List.of("Authorization", "Idempotency-Key", "If-Match", "Content-Type",
            "X-Consistency-Token", "X-Request-Id");

    private final ErrorResponses errors;

    public HeaderRules(ErrorResponses errors) {
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
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        chain.doFilter(accept != null && accept.isBlank() ? new WithoutAccept(request) : request, response);
    }

    private static final class WithoutAccept extends HttpServletRequestWrapper {

        WithoutAccept(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(header -> !HttpHeaders.ACCEPT.equalsIgnoreCase(header)).toList());
        }
    }
}
