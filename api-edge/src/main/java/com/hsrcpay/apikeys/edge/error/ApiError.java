package com.hsrcpay.apikeys.edge.error;

import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Locale;
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

    /**
     * An error known only by its status, as the web server reports it (a request it refused before any application
     * code saw it, or a servlet's {@code sendError}): the reason is the status's name, e.g. {@code bad_request}.
     */
    public static ApiError ofStatus(int status) {
        return switch (status) {
            case 400 -> of(400, "bad_request", "The request is malformed");
            case 404 -> of(404, "not_found", "No such resource");
            case 405 -> of(405, "method_not_allowed", "This method is not allowed here");
            case 500 -> of(500, "internal_error", "Internal server error");
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                String phrase = known != null ? known.getReasonPhrase() : "Error";
                yield of(status, phrase.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"), phrase);
            }
        };
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
