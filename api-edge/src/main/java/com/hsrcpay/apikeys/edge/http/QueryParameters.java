package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ApiException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The one reading of query parameters that several endpoints share; a bad value is a 400 naming the parameter. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** An ISO-8601 instant, UTC ({@code Z}) or with an offset. */
    public static Instant instant(String name, String text) {
        // a '+' of an offset arrives as a space when the client did not encode it
        String value = text.trim().replace(' ', '+');
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException again) {
                throw ApiException.badRequest(name, "invalid_instant",
                        name + " must be an ISO-8601 instant, e.g. 2026-01-31T14:03:00Z");
            }
        }
    }

    /** A whole number above 0, or {@code fallback} when the parameter is absent. */
    public static int positive(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name, "invalid_value", name + " must be a whole number greater than 0");
    }
}
