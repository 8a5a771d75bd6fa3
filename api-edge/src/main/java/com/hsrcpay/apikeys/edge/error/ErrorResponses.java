package com.hsrcpay.apikeys.edge.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link ApiError} in the envelope of the API the request addressed: the {@code /v1} envelope
 * of the HSRCPAY seeds, or the flat envelope of the applications API under {@code /api/v1}.
 * The only place that knows either error shape; filters and the exception handler both come here.
 */
public class ErrorResponses {

    private final ObjectMapper objectMapper;

    public ErrorResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public ResponseEntity<Object> entity(HttpServletRequest request, ApiError error) {
        return entity(request.getRequestURI(), error);
    }

    /** For a request whose path is not {@link HttpServletRequest#getRequestURI()} (an error dispatch). */
    public ResponseEntity<Object> entity(String path, ApiError error) {
        return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON).body(body(path, error));
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error) throws IOException {
        response.setStatus(error.status());
        if (!response.containsHeader(RequestIds.HEADER)) {
            // an answer written outside the request-id filter (the gateway's own refusals) is identified all the same
            response.setHeader(RequestIds.HEADER, RequestIds.current(request));
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), body(request.getRequestURI(), error));
    }

    /**
     * The JSON text of the error for a request to {@code path} (raw, as in the request line; null when the request
     * line could not be read): for code that has no Spring request, such as the web server's error report valve.
     */
    public String json(String path, ApiError error) {
        try {
            return objectMapper.writeValueAsString(body(path, error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error envelope could not be rendered", e);
        }
    }

    public Object body(HttpServletRequest request, ApiError error) {
        return body(request.getRequestURI(), error);
    }

    Object body(String path, ApiError error) {
        if (path != null && path.startsWith("/api/v1/")) {
            return applicationsEnvelope(error);
        }
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", error.status());
        inner.put("message", error.message());
        inner.put("details", error.detailsWithReason());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", error.message());
        body.put("success", false);
        body.put("error", inner);
        return body;
    }

    private static Map<String, Object> applicationsEnvelope(ApiError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        HttpStatus status = HttpStatus.resolve(error.status());
        body.put("error", status == null ? "Error" : status.getReasonPhrase());
        body.put("message", error.message());
        body.put("code", error.status());
        Object field = error.details().get("field");
        body.put("details", field == null
                ? List.of(Map.of("field", "", "message", error.reason()))
                : List.of(Map.of("field", field, "message", error.reason())));
        return body;
    }
}
