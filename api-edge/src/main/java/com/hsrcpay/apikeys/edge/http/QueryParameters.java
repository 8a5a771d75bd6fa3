package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.json.IsoInstants;

import java.time.Instant;
import java.util.regex.Pattern;

/** The one reading of query parameters that several endpoints share; a bad value is a 400 naming the parameter. */
public final class QueryParameters {

    private static final Pattern POSITIVE = Pattern.compile("^[1-9]\\d{0,8}$");
    private static final Pattern POSITIVE_LONG = Pattern.compile("^[1-9]\\d{0,17}$");
    private static final Pattern OFFSET_AFTER_SPACE = Pattern.compile("^[^ ]+ \\d{2}:\\d{2}$");

    private QueryParameters() {
    }

    /** An ISO-8601 instant with an offset ({@link IsoInstants}); a 400 naming {@code name} for anything else. */
    public static Instant instant(String name, String text) {
        // a '+' of an offset arrives as a space when the client did not encode it: the one blank taken as meant
        String value = OFFSET_AFTER_SPACE.matcher(text).matches() ? text.replace(' ', '+') : text;
        return IsoInstants.parse(value).orElseThrow(() -> ApiException.badRequest(name, "invalid_instant",
                name + " must be an ISO-8601 instant with an offset, e.g. 2026-01-31T14:03:00Z"));
    }

    /** A whole number above 0 (plain digits, no sign, no blanks), or {@code fallback} when the parameter is absent. */
    public static int positive(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (!POSITIVE.matcher(value).matches()) {
            throw ApiException.badRequest(name, "invalid_value", name + " must be a whole number greater than 0");
        }
        return Integer.parseInt(value);
    }

    /** A required whole number above 0 up to 18 digits (a tree size); a 400 naming {@code name} when absent or bad. */
    public static long requiredPositiveLong(String name, String value) {
        if (value == null) {
            throw ApiException.badRequest(name, "required", name + " is required");
        }
        return positiveLong(name, value, 0);
    }

    /** A whole number above 0 up to 18 digits, or {@code fallback} when the parameter is absent. */
    public static long positiveLong(String name, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (!POSITIVE_LONG.matcher(value).matches()) {
            throw ApiException.badRequest(name, "invalid_value", name + " must be a whole number greater than 0");
        }
        return Long.parseLong(value);
    }
}
