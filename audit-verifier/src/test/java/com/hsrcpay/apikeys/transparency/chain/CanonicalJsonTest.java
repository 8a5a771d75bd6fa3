package com.hsrcpay.apikeys.transparency.chain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level canonical form against the tree-based one ({@link Json} then {@link ChainDigests#canonical}): the
 * same bytes wherever it answers, and it answers for the service's payloads (the pinned stored events, random ones).
 */
class CanonicalJsonTest {

    /** The tree-based canonical bytes, or null when the JSON reader refuses the text. */
    static byte[] reference(String text) {
        try {
            StringBuilder out = new StringBuilder();
            ChainDigests.canonical(Json.parse(text), out);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The byte-level canonical bytes, or null when it gives up. */
    static byte[] scanned(byte[] text) {
        CanonicalJson canonical = new CanonicalJson();
        int end = canonical.object(text, 0, text.length);
        if (end != text.length) {
            return null;
        }
        return java.util.Arrays.copyOf(canonical.bytes(), canonical.length());
    }

    @Test
    void thePinnedStoredEventsAreReadByTheScanToTheSameBytes() throws Exception {
        List<Path> events;
        try (Stream<Path> files = Files.list(ChainDigestsTest.vectors())) {
            events = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : events) {
            String text = Json.parse(Files.readString(file)).toString(); // the file has blanks: write it compact
            byte[] compact = compact(Files.readString(file));
            assertThat(scanned(compact)).as(file.getFileName() + " " + text).isNotNull()
                    .isEqualTo(reference(new String(compact, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void escapesNumbersAndNestingGiveTheSameBytes() {
        for (String text : List.of("{}", "{\"a\":[]}", "{\"b\":1,\"a\":{\"d\":[1,{\"y\":2,\"x\":3}],\"c\":null}}",
                "{\"a\":\"q\\\"\\\\\\/\\u0001\\n\\u00fc\\u2028\\b\\f\\r\\t\\u001f\\u0022\\u005c\\u007f\"}",
                "{\"n\":[0,-0,1,-12,2.50,1e3,1E-3,-0.0,12345678901234567890,0.1,1.5e300,5e-324]}",
                "{\"t\":true,\"f\":false,\"z\":null,\"s\":\"\u00fc\u20ac\ud83d\ude00\"}",
                "{\"occurredAt\":\"2026-12-01T00:00:00.123456Z\",\"B\":1,\"a\":2,\"_\":3,\"A\":4}")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(scanned(bytes)).as(text).isNotNull().isEqualTo(reference(text));
        }
    }

    @Test
    void whatTheScanDoesNotReadItLeavesToTheJsonReader() {
        // blanks, a name with an escape or beyond ASCII, surrogate escapes, a name twice, not JSON at all
        for (String text : List.of("{ \"a\":1}", "{\"a\" :1}", "{\"a\\u0041\":1}", "{\"\u00fc\":1}",
                "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":1,\"a\":2}", "{\"a\":01}", "{\"a\":1,}", "{\"a\":\"\u0001\"}",
                "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\":[1,]}", "{\"a\":\"\\u+041\"}", "[1]", "{\"a\":1")) {
            assertThat(scanned(text.getBytes(StandardCharsets.UTF_8))).as(text).isNull();
        }
        // bytes that are not UTF-8 (a lone continuation byte, an overlong form, a surrogate, a cut sequence)
        for (byte[] bad : List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) {
            byte[] text = new byte[bad.length + 8];
            System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, text, 0, 6);
            System.arraycopy(bad, 0, text, 6, bad.length);
            text[bad.length + 6] = '"';
            text[bad.length + 7] = '}';
            assertThat(scanned(text)).isNull();
        }
    }

    @Test
    void randomPayloadsGiveTheSameBytes() {
        Random random = new Random(16);
        int answered = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            object(random, 0, text);
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] scanned = scanned(bytes);
            byte[] reference = reference(text.toString());
            if (scanned != null) {
                answered++;
                assertThat(scanned).as(text.toString()).isEqualTo(reference);
            } else {
                // only a name twice or a surrogate escape make it give up on these
                assertThat(reference == null || text.toString().contains("\\ud")).as(text.toString()).isTrue();
            }
        }
        assertThat(answered).as("payloads the scan read").isGreaterThan(5_000); // the others have a name twice or a surrogate escape
    }

    @Test
    void anInstantAlreadyRenderedIsTakenAsItIsAnyOtherIsParsed() {
        Random random = new Random(16);
        List<String> texts = new ArrayList<>(List.of("2026-12-01T00:00:00Z", "2026-12-01T00:00:00.000Z",
                "2026-12-01T00:00:00.100Z", "2026-12-01T00:00:00.123000Z", "2026-12-01T00:00:00.123000000Z",
                "2026-12-01T00:00:00.000123Z", "2026-12-01T23:59:60Z", "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z", "0000-01-01T00:00:00Z",
                "2026-12-01t00:00:00Z", "2026-12-01T00:00:00+00:00", "+12026-12-01T00:00:00Z", "2026-12-01T00:00Z"));
        for (int i = 0; i < 5_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(7)));
            texts.add(instant.toString());
            texts.add(instant.toString().replace("Z", "0Z"));
        }
        for (String text : texts) {
            String parsed;
            try {
                parsed = Instant.parse(text).toString();
            } catch (RuntimeException e) {
                parsed = null;
            }
            // years beyond 9999 (written with a sign) are left to the parser too
            assertThat(ChainDigests.isRendered(text)).as(text).isEqualTo(text.equals(parsed) && !text.startsWith("+"));
        }
    }

    private static byte[] compact(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] NAMES = {"keyId", "accountId", "mode", "name", "a", "B", "occurredAt", "_x", "z9"};
    private static final String[] CHARS = {"a", "Z", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0001", "\\u00e9",
        "\\u20ac", "\u00fc", "\u20ac", "\ud83d\ude00", "\\ud83d\\ude00", "\\u0041", "7", ":", ","};

    private static void object(Random random, int depth, StringBuilder out) {
        out.append('{');
        int n = random.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(NAMES[random.nextInt(NAMES.length)]).append("\":");
            value(random, depth + 1, out);
        }
        out.append('}');
    }

    private static void value(Random random, int depth, StringBuilder out) {
        switch (random.nextInt(depth > 3 ? 5 : 7)) {
            case 0 -> {
                out.append('"');
                for (int i = random.nextInt(6); i > 0; i--) {
                    out.append(CHARS[random.nextInt(CHARS.length)]);
                }
                out.append('"');
            }
            case 1 -> out.append(switch (random.nextInt(6)) {
                case 0 -> Long.toString(random.nextLong());
                case 1 -> "-0";
                case 2 -> Double.toString(random.nextDouble() * 1000);
                case 3 -> random.nextInt(100) + "e" + (random.nextInt(20) - 10);
                case 4 -> "0." + random.nextInt(1000) + "0";
                default -> Integer.toString(random.nextInt(10));
            });
            case 2 -> out.append(random.nextBoolean() ? "true" : "false");
            case 3 -> out.append("null");
            case 4 -> out.append('"').append(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L))).append('"');
            case 5 -> object(random, depth, out);
            default -> {
                out.append('[');
                for (int i = random.nextInt(4); i > 0; i--) {
                    value(random, depth + 1, out);
                    if (i > 1) {
                        out.append(',');
                    }
                }
                out.append(']');
            }
        }
    }
}
