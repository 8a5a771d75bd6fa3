package com.hsrcpay.apikeys.edge.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one reading of an instant in a request, body or query: ISO-8601 with a four-digit year, seconds, an optional
 * fraction and an offset ({@code Z} or {@code ±hh:mm}). No epoch numbers, no blanks, no offset-less local times,
 * and no year the database cannot hold: {@code -4713-01-01T00:00:00Z} is a 400, not a PSQLException.
 */
public final class IsoInstants {

    private static final Pattern SHAPE =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$");

    private static final Pattern EXPANDED_YEAR = Pattern.compile("^[+-]\\d{4,}-\\d{2}-\\d{2}T.*");

    private IsoInstants() {
    }

    /** Whether {@code text} is an instant of ISO-8601's expanded form, a signed year beyond what is held here. */
    public static boolean beyondFourDigitYears(String text) {
        return text != null && EXPANDED_YEAR.matcher(text).matches();
    }

    /** The instant {@code text} denotes, or empty when it is not exactly of the shape above. */
    public static Optional<Instant> parse(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // month 13, hour 25, offset +19:00 …
        }
    }
}
