package com.hsrcpay.apikeys.edge.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One error as the API reports it: an HTTP status, a machine-readable reason, a message for people and
 * the offending fields. Rendered in the envelope of the API the request addressed ({@link ErrorResponses}).
 */
public record ApiError(int status, String reason, String message, Map<String, Object> details) {

    public ApiError {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ApiError of(int status, String reason, String message) {
        return new ApiError(status, reason, message, Map.of());
    }

    /** A URL, parameter or header the HTTP firewall refuses (encoded dots, path parameters, control characters). */
    public static ApiError rejectedRequest() {
        return of(400, "rejected_request",
                "The request URL, a parameter or a header contains characters that are not allowed");
    }

    public static ApiError invalidField(String field, String reason, String message) {
        return new ApiError(400, reason, message, Map.of("field", field));
    }

    /** Details as sent: the reason first, then the fields that name what was wrong. */
    public Map<String, Object> detailsWithReason() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("reason", reason);
        all.putAll(details);
        return all;
    }
}
