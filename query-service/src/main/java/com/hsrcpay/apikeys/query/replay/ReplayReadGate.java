package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/**
 * The one place that decides what reads do during a replay of {@code key-list}: its {@code @ResetHandler} truncated
 * {@code api_key} and {@code key_secret}, so until the rebuild has passed the head an answer from them would be
 * wrong (a missing key, a valid secret refused). The list, the single key (not {@code ?as_of=}, which comes from the
 * event store) and verification answer 503 with {@code Retry-After} instead. Runs after Spring Security, so only
 * authenticated requests get here.
 */
public class ReplayReadGate extends OncePerRequestFilter {

    static final int RETRY_AFTER_SECONDS = 5;

    private final ProjectionReplays replays;
    private final ErrorResponses errors;

    public ReplayReadGate(ProjectionReplays replays, ErrorResponses errors) {
        this.replays = replays;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (readsKeyList(request) && replays.replaying(KeyListProjection.GROUP)) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            errors.write(request, response, new ApiError(503, "projection_replaying",
                    "The key list is being rebuilt from the event store; retry shortly",
                    Map.of("projection", KeyListProjection.GROUP)));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean readsKeyList(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        if ("POST".equals(method)) {
            return path.equals("/v1/keys/verify");
        }
        if (!"GET".equals(method) || !path.startsWith("/v1/api-keys")) {
            return false;
        }
        String rest = path.substring("/v1/api-keys".length());
        if (rest.isEmpty() || rest.equals("/")) {
            return true; // the list
        }
        // the single key, unless it is rebuilt from the event store (as_of); /history is the event store too
        return rest.indexOf('/', 1) < 0 && request.getParameter("as_of") == null;
    }
}
