package com.hsrcpay.apikeys.transparency.chain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The per-key hash chain as the README publishes it, computed from an exported event with the JDK alone:
 * {@code hex(SHA-256(previous "\n" key_id "\n" sequence_number "\n" type "\n" occurredAt "\n" canonical(payload)))},
 * the first event's previous being 64 zeros; occurredAt as {@link Instant#toString()} renders the payload's
 * {@code occurredAt}; canonical JSON with object names sorted, no blanks, strings escaped as JSON requires (short
 * escapes for {@code \b \t \n \f \r}, {@code \\u00XX} for other control characters, nothing else escaped), integers
 * as plain digits and other numbers as the shortest decimal of their double value, without trailing zeros.
 */
public final class ChainDigests {

    public static final String GENESIS = "0".repeat(64);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ChainDigests() {
    }

    /** The digest of one exported event; throws {@link IllegalArgumentException} when its payload has no instant. */
    public static String digest(String previous, String keyId, long sequenceNumber, String type,
                                Map<String, Object> payload) {
        Object occurred = payload.get("occurredAt");
        String occurredAt = occurredAt(occurred instanceof String s ? s : "");
        StringBuilder text = new StringBuilder(512);
        canonical(payload, text);
        byte[] canonical = text.toString().getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(digest(sha256(), previous, keyId, sequenceNumber, type, occurredAt, canonical,
                canonical.length));
    }

    /**
     * The chain's one frame, {@code SHA-256(previous "\n" key_id "\n" sequence_number "\n" type "\n" occurredAt "\n"
     * canonical payload)}, from the payload's canonical UTF-8 bytes and its instant as {@link #occurredAt} renders it
     * ({@code sha} reused: each digest() leaves it reset).
     */
    public static byte[] digest(MessageDigest sha, String previous, String keyId, long sequenceNumber, String type,
                                String occurredAt, byte[] canonicalPayload, int length) {
        String head = previous + '\n' + keyId + '\n' + sequenceNumber + '\n' + type + '\n' + occurredAt + '\n';
        sha.update(head.getBytes(StandardCharsets.UTF_8));
        sha.update(canonicalPayload, 0, length);
        return sha.digest();
    }

    /**
     * The payload's instant as {@link Instant#toString()} renders it; throws {@link IllegalArgumentException} when it
     * is none. Text already in that form is answered as it is, without parsing it twice over a long export.
     */
    public static String occurredAt(String text) {
        if (isRendered(text)) {
            return text;
        }
        try {
            return Instant.parse(text).toString();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the payload has no occurredAt instant", e);
        }
    }

    /**
     * Whether {@code text} is exactly what {@link Instant#toString()} writes for a year 0000-9999:
     * {@code yyyy-MM-ddTHH:mm:ssZ} with a fraction of 3, 6 or 9 digits whose last group of three is not 000.
     * Anything else (a leap second, an offset, other digits) is left to {@link Instant#parse}.
     */
    static boolean isRendered(String text) {
        int n = text.length();
        if (n != 20 && n != 24 && n != 27 && n != 30) {
            return false;
        }
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z' || (n > 20 && text.charAt(19) != '.')) {
            return false;
        }
        for (int i = 0; i < n - 1; i++) {
            if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19 && !(text.charAt(i) >= '0'
                    && text.charAt(i) <= '9')) {
                return false;
            }
        }
        if (n > 20 && text.startsWith("000", n - 4)) {
            return false;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int days = month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31);
        return month >= 1 && month <= 12 && day >= 1 && day <= days && number(text, 11, 13) <= 23
                && number(text, 14, 16) <= 59 && number(text, 17, 19) <= 59;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** A JSON number as the canonical form writes it: integers as plain digits, others as their shortest decimal. */
    public static String canonicalNumber(String text, boolean integral) {
        if (integral) {
            return new BigInteger(text).toString();
        }
        BigDecimal decimal = BigDecimal.valueOf(Double.parseDouble(text)).stripTrailingZeros();
        return decimal.signum() == 0 ? "0" : decimal.toPlainString();
    }

    static void canonical(Object value, StringBuilder out) {
        if (value == null || value == Json.NULL) {
            out.append("null");
        } else if (value instanceof Map<?, ?> object) {
            List<String> names = new ArrayList<>();
            object.keySet().forEach(name -> names.add((String) name));
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quote(names.get(i), out);
                out.append(':');
                canonical(object.get(names.get(i)), out);
            }
            out.append('}');
        } else if (value instanceof List<?> array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(array.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Json.Number number) {
            out.append(canonicalNumber(number.text(), number.integral()));
        } else if (value instanceof Boolean bool) {
            out.append(bool);
        } else if (value instanceof String string) {
            quote(string, out);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void quote(String string, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
