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
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurred instanceof String s ? s : "");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the payload has no occurredAt instant", e);
        }
        StringBuilder text = new StringBuilder(512)
                .append(previous).append('\n')
                .append(keyId).append('\n')
                .append(sequenceNumber).append('\n')
                .append(type).append('\n')
                .append(occurredAt).append('\n');
        canonical(payload, text);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
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
            if (number.integral()) {
                out.append(new BigInteger(number.text()));
            } else {
                BigDecimal decimal = BigDecimal.valueOf(Double.parseDouble(number.text())).stripTrailingZeros();
                out.append(decimal.signum() == 0 ? "0" : decimal.toPlainString());
            }
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
