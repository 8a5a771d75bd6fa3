package com.hsrcpay.apikeys.localstack.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Generators of hostile values, each named for what it generates. A {@link Value} is bytes as they go on the wire
 * (a JSON value inside a body, a query parameter before percent-encoding, a header value) plus how the report shows
 * it. None contains a name the checker treats as an internal one, so an echo of the input is never mistaken for a
 * leak. The lists hold the edge cases explicitly; generators that draw lengths or positions add the random part.
 */
final class HostileValues {

    private static final String PROBE = "probe";

    private HostileValues() {
    }

    /**
     * Bytes and how the report shows them. {@code breaksTheDocument}: the bytes make the whole body invalid JSON or
     * invalid UTF-8, so a refusal can name only the body, not the field they were put in.
     */
    record Value(String shown, byte[] bytes, boolean breaksTheDocument) {

        Value(String shown, byte[] bytes) {
            this(shown, bytes, false);
        }

        static Value json(String text) {
            return new Value(text, text.getBytes(StandardCharsets.UTF_8));
        }

        static Value text(String text) {
            return new Value(text, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The value as a JSON string literal: quotes added, quote, backslash and control characters escaped. */
        Value quoted() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            StringBuilder json = new StringBuilder("\"");
            text.chars().forEach(c -> {
                if (c == '"' || c == '\\') {
                    json.append('\\').append((char) c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", c));
                } else {
                    json.append((char) c);
                }
            });
            return new Value(Ledger.abbreviate(json.append('"').toString(), 60),
                    json.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** Percent-encoded for a query parameter or path segment: every byte but unreserved characters. */
        String percentEncoded() {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.' || c == '~') {
                    out.append((char) c);
                } else {
                    out.append('%').append(String.format("%02X", c));
                }
            }
            return out.toString();
        }
    }

    // ------------------------------------------------------------------ JSON values of the wrong type

    /** JSON values that are not strings, for a field that holds text. */
    static Gen<Value> nonStringJson() {
        return Gen.of("42", "-1", "0", "1.5", "1e400", "true", "false", "[]", "[\"probe\"]", "{}",
                "{\"en\":\"probe\"}").map(Value::json);
    }

    /** JSON values that are not objects, for a field that holds an object. */
    static Gen<Value> nonObjectJson() {
        return Gen.of("\"probe\"", "\"\"", "42", "1e400", "true", "[]", "[\"account:api:key:read\"]",
                "[{\"account:api:key\":[\"read\"]}]").map(Value::json);
    }

    /** JSON values that are not integers, for a field that holds a whole number. */
    static Gen<Value> nonIntegerJson() {
        return Gen.of("\"\"", "\" \"", "\"60\"", "\"0\"", "true", "false", "[]", "[60]", "{}", "{\"seconds\":60}",
                "1.5", "0.5", "60.0", "1e2", "6e1", "1e400", "-1e400").map(Value::json);
    }

    /** JSON values that are not booleans. */
    static Gen<Value> nonBooleanJson() {
        return Gen.of("\"true\"", "\"false\"", "\"\"", "\"yes\"", "1", "0", "[]", "{}", "[true]").map(Value::json);
    }

    /** Integers outside a range of 0..86400 and outside what a long holds, including the float forms of integers. */
    static Gen<Value> integersOutOfRange() {
        return Gen.of("-1", "86401", "2147483648", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "18446744073709551616", "100000000000000000000000000000", "1e400",
                "-1e400", "1e19").map(Value::json);
    }

    /** Numbers a JSON parser must refuse: not numbers in JSON's grammar at all. */
    static Gen<Value> notJsonNumbers() {
        return Gen.of("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e", "--1", "1_000")
                .map(text -> new Value(text, text.getBytes(StandardCharsets.US_ASCII), true));
    }

    /** Numbers beyond a double's range, where any JSON number belongs (metadata values). */
    static Gen<Value> numbersBeyondDouble() {
        return Gen.of("1e400", "-1e400", "1E400", "123e456789", "-0.1e99999").map(Value::json);
    }

    // ------------------------------------------------------------------ strings a field must refuse

    /** JSON strings holding one control character (C0, DEL or C1), escaped or raw, at the start, middle or end. */
    static Gen<Value> controlCharacterStrings() {
        List<Integer> controls = new ArrayList<>();
        for (int c = 0; c < 0x20; c++) {
            controls.add(c);
        }
        for (int c = 0x7f; c <= 0x9f; c++) {
            controls.add(c);
        }
        Gen<Integer> control = Gen.of(controls);
        Gen<Integer> position = Gen.of(0, 1, 2);
        Gen<Boolean> escaped = Gen.of(true, true, false);
        return random -> {
            int c = control.next(random);
            int at = position.next(random);
            boolean escape = escaped.next(random) || c == '"';
            String shown = String.format("\\u%04x", c);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('"');
            byte[] character = escape ? shown.getBytes(StandardCharsets.US_ASCII)
                    : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
            String before = at == 0 ? "" : at == 1 ? "pro" : PROBE;
            String after = at == 0 ? PROBE : at == 1 ? "be" : "";
            out.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(character);
            out.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
            out.write('"');
            return new Value("\"" + before + shown + after + "\"" + (escape ? "" : " (raw)"), out.toByteArray(),
                    !escape && c < 0x20);
        };
    }

    /** JSON strings whose escapes decode to an unpaired surrogate. */
    static Gen<Value> loneSurrogateStrings() {
        return Gen.of("\"\\ud800\"", "\"pro\\udc00be\"", "\"\\udbff\\udbff\"", "\"\\udfff\\ud800\"",
                "\"probe\\ud83d\"", "\"\\ud800\\u0041\"").map(Value::json);
    }

    /** JSON strings with raw bytes that are not UTF-8 at all. */
    static Gen<Value> invalidUtf8Strings() {
        return Gen.of(
                bytes("0xff", 0xff), bytes("0xfe 0xff", 0xfe, 0xff), bytes("truncated 2-byte 0xc3", 0xc3),
                bytes("0xc3 0x28", 0xc3, 0x28), bytes("lone continuation 0xa0", 0xa0),
                bytes("truncated 3-byte 0xe2 0x82", 0xe2, 0x82), bytes("encoded surrogate 0xed 0xa0 0x80", 0xed, 0xa0, 0x80),
                bytes("beyond U+10FFFF 0xf4 0x90 0x80 0x80", 0xf4, 0x90, 0x80, 0x80),
                bytes("5-byte form 0xf8 0x88 0x80 0x80 0x80", 0xf8, 0x88, 0x80, 0x80, 0x80),
                bytes("latin-1 e-acute 0xe9", 0xe9)).map(HostileValues::insideJsonString);
    }

    /** JSON strings with overlong UTF-8 encodings of ASCII characters ('/', 'A', NUL). */
    static Gen<Value> overlongUtf8Strings() {
        return Gen.of(
                bytes("overlong '/' 0xc0 0xaf", 0xc0, 0xaf), bytes("overlong 'A' 0xc1 0x81", 0xc1, 0x81),
                bytes("overlong NUL 0xc0 0x80", 0xc0, 0x80), bytes("3-byte overlong '/' 0xe0 0x80 0xaf", 0xe0, 0x80, 0xaf),
                bytes("4-byte overlong '/' 0xf0 0x80 0x80 0xaf", 0xf0, 0x80, 0x80, 0xaf),
                bytes("overlong '\"' 0xc0 0xa2", 0xc0, 0xa2)).map(HostileValues::insideJsonString);
    }

    /** JSON strings longer than a field allows: just above {@code limit}, far above it, and above the body limit. */
    static Gen<Value> hugeStrings(int limit) {
        return Gen.of(limit + 1, limit + 2, 1_000, 10_000, 20_000, 65_537, 70_000)
                .flatMap(n -> Gen.between(n, n + 16))
                .map(n -> new Value("\"" + "x".repeat(12) + "…\" (" + n + " chars)",
                        ("\"" + "x".repeat(n) + "\"").getBytes(StandardCharsets.US_ASCII)));
    }

    /** Strings with nothing in them but (ASCII) blanks. */
    static Gen<Value> blankStrings() {
        return Gen.of("\"\"", "\" \"", "\"   \"").map(Value::json);
    }

    /** Every string a text field must refuse. */
    static Gen<Value> refusedStrings(int maxLength) {
        return Gen.oneOf(controlCharacterStrings(), loneSurrogateStrings(), invalidUtf8Strings(),
                overlongUtf8Strings(), hugeStrings(maxLength), blankStrings());
    }

    // ------------------------------------------------------------------ instants

    /** Text that is no ISO-8601 instant with an offset, or one out of any store's range. */
    static Gen<Value> malformedInstantTexts() {
        return Gen.of("", " ", "   ", "1893456000", "4102444800", "4102444800.5", "2099-01-01", "2099-01-01T00:00:00",
                "2099-01-01T00:00", "2099-01-01T00:00:00Z\n", "2099-01-01T00:00:00Z ", " 2099-01-01T00:00:00Z",
                "\n2099-01-01T00:00:00Z", "\t2099-01-01T00:00:00Z", "-4713-01-01T00:00:00Z", "+294277-01-01T00:00:00Z",
                "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
                "2099-13-01T00:00:00Z", "2099-02-30T00:00:00Z", "2099-01-01T24:00:01Z", "2099-01-01T00:00:00+25:00",
                "2099-01-01T00:00:00+1", "2099-01-01T00:00:00.0000000001Z", "2099-01-01T00:00:00ZZ",
                "2099-1-1T0:0:0Z", "next tuesday", "now", "2099-01-01T00:00:00 UTC", "P1D", "2099-01-01T00:00:00\u0000Z")
                .map(Value::text);
    }

    /** JSON values for an instant field: the malformed texts as strings, and numbers, booleans, arrays, objects. */
    static Gen<Value> malformedInstantJson() {
        return Gen.oneOf(malformedInstantTexts().map(Value::quoted),
                Gen.of("1893456000", "4102444800", "4102444800.5", "true", "[]", "[\"2099-01-01T00:00:00Z\"]", "{}",
                        "\"2020-01-01T00:00:00Z\"").map(Value::json));
    }

    // ------------------------------------------------------------------ enums

    /** Near misses of the key type enum (SECRET, PUBLISHABLE). */
    static Gen<Value> keyTypeNearMisses() {
        return Gen.of("\"PUBLISHABLE \"", "\" PUBLISHABLE\"", "\"publishable\"", "\"Publishable\"", "\"SECRET \"",
                "\"secret\"", "\"PUBLISHABLE\\u0000\"", "\"PUBL\u0130SHABLE\"", "\"\uff33\uff25\uff23\uff32\uff25\uff34\"",
                "\"\"", "\"ROOT\"", "0", "1", "true", "[\"SECRET\"]").map(Value::json);
    }

    /** Near misses and forbidden values of a patch's status (only ACTIVE and INACTIVE may be set). */
    static Gen<Value> statusNearMisses() {
        return Gen.of("\"active\"", "\"ACTIVE \"", "\" INACTIVE\"", "\"Inactive\"", "\"inactive\"", "\"REVOKED\"",
                "\"EXPIRED\"", "\"DELETED\"", "\"\"", "\"INACTIVE\\u0000\"", "0", "1", "true", "null", "[\"INACTIVE\"]")
                .map(Value::json);
    }

    // ------------------------------------------------------------------ permissions

    /** Permission strings built to make a backtracking regular expression explode (about 20,000 characters). */
    static Gen<Value> regexBombPermissions() {
        return Gen.of(
                new Value("\"a:a:…\" (20,001 chars)", quotedAscii("a:".repeat(10_000) + "a")),
                new Value("\"a:a:…:\" (20,000 chars, trailing colon)", quotedAscii("a:".repeat(10_000))),
                new Value("\"*:*:…\" (20,001 chars)", quotedAscii("*:".repeat(10_000) + "*")),
                new Value("\"a:a:…!\" (20,001 chars)", quotedAscii("a:".repeat(10_000) + "!")),
                new Value("\"aaaa…\" (20,000 chars)", quotedAscii("a".repeat(20_000))),
                new Value("\"ab:ab:…\" (30,000 chars)", quotedAscii("ab:".repeat(10_000))));
    }

    /** Permission strings that are not of the form account:api:key:read. */
    static Gen<Value> malformedPermissions() {
        return Gen.of("\"\"", "\" \"", "\"account:api:key:\"", "\":read\"", "\"ACCOUNT:API:KEY:READ\"",
                "\"account api key read\"", "\"a\"", "\"*\"", "\"account:api:key:read\\n\"", "\"account:api:key:read \"",
                "\"account::key:read\"", "42", "true", "[]", "{}", "[\"account:api:key:read\"]").map(Value::json);
    }

    /** Permission maps that are malformed: wrong shapes, empty action lists, bad resource names, regex bombs. */
    static Gen<Value> malformedPermissionMaps() {
        return Gen.oneOf(nonObjectJson(), Gen.of("{\"account:api:key\":\"read\"}", "{\"account:api:key\":[1]}",
                        "{\"account:api:key\":[]}", "{\"account:api:key\":[null]}", "{\"account:api:key\":[true]}",
                        "{\"account:api:key\":[[\"read\"]]}", "{\"account:api:key\":{\"read\":true}}",
                        "{\"Account Key\":[\"read\"]}", "{\"\":[\"read\"]}", "{\"account:api:key\":[\"\"]}",
                        "{\"account:api:key\":[\"READ\"]}", "{\"account:api:key\":[\"read\\u0000\"]}",
                        "{\"account:api:key\\u0000\":[\"read\"]}", "{\"account:api:key\":null}", "{\"account:api:key\":1e400}")
                .map(Value::json),
                Gen.of(20_000, 40_000).map(n -> new Value("{\"a:a:…\":[\"read\"]} (" + n + "-char resource)",
                        ("{\"" + "a:".repeat(n / 2) + "a\":[\"read\"]}").getBytes(StandardCharsets.US_ASCII))),
                Gen.of(20_000).map(n -> new Value("{\"account:api:key\":[\"rrr…\"]} (" + n + "-char action)",
                        ("{\"account:api:key\":[\"" + "r".repeat(n) + "\"]}").getBytes(StandardCharsets.US_ASCII))));
    }

    /**
     * Well-formed permission maps that grant more than the suite's full JWT holds ({@code account:api:key}
     * create/read/update/delete): wildcards it lacks, other resources, and the reserved {@code platform} namespace.
     */
    static Gen<Value> permissionMapsBeyondTheCaller() {
        Gen<String> beyond = Gen.of("\"*\":[\"*\"]", "\"*\":[\"read\"]", "\"account:api:key\":[\"*\"]",
                "\"account:api:key\":[\"read\",\"admin\"]", "\"account:api\":[\"key\"]", "\"account\":[\"*\"]",
                "\"account:webhook:endpoint\":[\"read\"]", "\"account:api:key:read\":[\"*\"]",
                "\"platform:api:key\":[\"verify\"]", "\"platform\":[\"*\"]", "\"platform:metrics\":[\"read\"]",
                "\"platform:projections\":[\"replay\"]", "\"platform:api:key\":[\"read\"]");
        Gen<String> withAGrantableEntry = beyond.map(entry -> entry.startsWith("\"account:api:key\"")
                ? "{" + entry + "}" : "{\"account:api:key\":[\"read\"]," + entry + "}");
        return Gen.oneOf(beyond.map(entry -> "{" + entry + "}"), withAGrantableEntry,
                Gen.of("{\"*\":[\"*\"],\"platform:api:key\":[\"verify\"]}")).map(Value::json);
    }

    // ------------------------------------------------------------------ metadata

    /** Metadata objects the contract refuses: wrong shapes, nested values, too many or too long entries. */
    /**
     * {@code ratelimits} values the contract refuses: not a list, null, more than 10, a duplicate name, an entry
     * that is not an object or lacks a field, names outside {@code [a-z0-9_.-]{1,40}}, limits outside 1..1e9 and
     * windows outside 1,000..86,400,000 ms, fractions and float forms of integers, unknown entry fields.
     */
    static Gen<Value> refusedRateLimits() {
        Gen<Value> byShape = Gen.of("null", "{}", "42", "\"per_second\"", "[42]", "[null]", "[{}]", "[[]]",
                "[{\"name\":\"a\",\"limit\":1}]", "[{\"limit\":1,\"duration_ms\":1000}]",
                "[{\"name\":\"a\",\"limit\":1,\"duration_ms\":1000,\"burst\":2}]",
                "[{\"name\":\"a\",\"limit\":1,\"duration_ms\":1000},{\"name\":\"a\",\"limit\":2,\"duration_ms\":2000}]")
                .map(Value::json);
        Gen<Value> byName = Gen.oneOf(Gen.of("\"\"", "\"Per_Second\"", "\"per second\"", "\"a/b\"", "\"\\u00e9\"",
                        "\"" + "a".repeat(41) + "\"", "42", "null", "true").map(Value::json), controlCharacterStrings(),
                        loneSurrogateStrings(), invalidUtf8Strings())
                .map(v -> concat("[{\"name\":", v, ",\"limit\":1,\"duration_ms\":1000}]"));
        Gen<Value> byLimit = Gen.oneOf(Gen.of("0", "-1", "1000000000001", "1000000001", "9223372036854775808", "1.5",
                "1e3", "\"10\"", "null", "true").map(Value::json), notJsonNumbers())
                .map(v -> concat("[{\"name\":\"a\",\"limit\":", v, ",\"duration_ms\":1000}]"));
        Gen<Value> byWindow = Gen.oneOf(Gen.of("0", "999", "86400001", "-1000", "9223372036854775808", "1000.0",
                "1e3", "\"1000\"", "null").map(Value::json), notJsonNumbers())
                .map(v -> concat("[{\"name\":\"a\",\"limit\":1,\"duration_ms\":", v, "}]"));
        Gen<Value> tooMany = Gen.between(11, 14).map(n -> {
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                list.append(i == 0 ? "" : ",").append("{\"name\":\"l").append(i).append("\",\"limit\":1,\"duration_ms\":1000}");
            }
            return Value.json(list.append(']').toString());
        });
        return Gen.oneOf(byShape, byName, byLimit, byWindow, tooMany);
    }

    /**
     * {@code credits} values the contract refuses (null is valid: unlimited): not an object, no or a bad
     * {@code remaining}, a refill with a bad interval, amount or day, a day with a daily refill, unknown fields.
     */
    static Gen<Value> refusedCredits() {
        Gen<Value> byShape = Gen.of("42", "\"100\"", "[]", "[100]", "true", "{}", "{\"refill\":null}",
                "{\"remaining\":1,\"spent\":0}", "{\"remaining\":1,\"refill\":{}}",
                "{\"remaining\":1,\"refill\":[]}", "{\"remaining\":1,\"refill\":\"daily\"}").map(Value::json);
        Gen<Value> byRemaining = Gen.oneOf(Gen.of("-1", "1000000000001", "9223372036854775808", "1.5", "1e3",
                "\"5\"", "null", "false").map(Value::json), notJsonNumbers())
                .map(v -> concat("{\"remaining\":", v, "}"));
        Gen<Value> byInterval = Gen.oneOf(Gen.of("\"weekly\"", "\"Daily\"", "\"DAILY\"", "\" daily\"",
                        "\"daily \"", "\"\"", "null", "1", "[\"daily\"]").map(Value::json), controlCharacterStrings())
                .map(v -> concat("{\"remaining\":1,\"refill\":{\"interval\":", v, ",\"amount\":1}}"));
        Gen<Value> byAmount = Gen.of("0", "-1", "1000000000001", "1.5", "1e3", "\"1\"", "null")
                .map(Value::json).map(v -> concat("{\"remaining\":1,\"refill\":{\"interval\":\"daily\",\"amount\":", v,
                        "}}"));
        Gen<Value> byDay = Gen.oneOf(
                Gen.of("0", "32", "-1", "1.5", "\"1\"", "2147483648").map(Value::json).map(v -> concat(
                        "{\"remaining\":1,\"refill\":{\"interval\":\"monthly\",\"amount\":1,\"refill_day\":", v, "}}")),
                Gen.of("1", "15", "31").map(Value::json).map(v -> concat(
                        "{\"remaining\":1,\"refill\":{\"interval\":\"daily\",\"amount\":1,\"refill_day\":", v, "}}")));
        return Gen.oneOf(byShape, byRemaining, byInterval, byAmount, byDay);
    }

    /** {@code credits} of a verification: not an object, or a cost outside 0..1000, not an integer, or absent. */
    static Gen<Value> refusedCreditCosts() {
        return Gen.oneOf(Gen.of("42", "\"1\"", "[]", "true", "{}", "{\"cost\":null}", "{\"cost\":-1}",
                        "{\"cost\":1001}", "{\"cost\":1.5}", "{\"cost\":1e3}", "{\"cost\":\"1\"}",
                        "{\"cost\":9223372036854775808}", "{\"cost\":1,\"extra\":1}").map(Value::json),
                notJsonNumbers().map(v -> concat("{\"cost\":", v, "}")));
    }

    /**
     * {@code ratelimits} of a verification, against a key that has none: not a list, an entry without a name or cost,
     * a bad name or cost, more than 10, and any name at all (the key has no such limit).
     */
    static Gen<Value> refusedLimitCosts() {
        return Gen.oneOf(Gen.of("42", "{}", "\"per_second\"", "[42]", "[null]", "[{}]",
                "[{\"name\":\"per_second\"}]", "[{\"cost\":1}]", "[{\"name\":\"per_second\",\"cost\":1}]",
                "[{\"name\":\"per_second\",\"cost\":-1}]", "[{\"name\":\"per_second\",\"cost\":1001}]",
                "[{\"name\":\"Per Second\",\"cost\":1}]", "[{\"name\":\"per_second\",\"cost\":1,\"x\":1}]",
                "[" + "{\"name\":\"a\",\"cost\":1},".repeat(10) + "{\"name\":\"a\",\"cost\":1}]").map(Value::json),
                controlCharacterStrings().map(v -> concat("[{\"name\":", v, ",\"cost\":1}]")));
    }

    /** {@code operation} of the credits endpoint: near misses of set, increment and decrement. */
    static Gen<Value> creditOperationNearMisses() {
        return Gen.oneOf(Gen.of("\"Set\"", "\"SET\"", "\" set\"", "\"set \"", "\"add\"", "\"\"", "\"increase\"",
                "\"decrement\\u0000\"", "null", "1", "[\"set\"]", "{}").map(Value::json), controlCharacterStrings());
    }

    /** {@code amount} of the credits endpoint with operation set: outside 0..1e12, not an integer, or absent. */
    static Gen<Value> refusedCreditAmounts() {
        return Gen.oneOf(Gen.of("-1", "1000000000001", "9223372036854775808", "-9223372036854775809", "1e400", "1.5",
                "1e3", "\"5\"", "null", "true", "[5]", "{}").map(Value::json), notJsonNumbers());
    }

    static Gen<Value> refusedMetadata() {
        Gen<Value> bySize = Gen.oneOf(
                Gen.between(51, 60).map(n -> manyEntries(n, 1)),
                Gen.between(41, 60).map(n -> new Value("{\"kkk…\":\"v\"} (" + n + "-char key)",
                        ("{\"" + "k".repeat(n) + "\":\"v\"}").getBytes(StandardCharsets.US_ASCII))),
                Gen.between(501, 600).map(n -> new Value("{\"a\":\"vvv…\"} (" + n + "-char value)",
                        ("{\"a\":\"" + "v".repeat(n) + "\"}").getBytes(StandardCharsets.US_ASCII))));
        Gen<Value> byValue = Gen.oneOf(controlCharacterStrings(), loneSurrogateStrings(), invalidUtf8Strings(),
                        numbersBeyondDouble())
                .map(v -> concat("{\"a\":", v, "}"));
        Gen<Value> byKey = Gen.oneOf(controlCharacterStrings(), loneSurrogateStrings(), invalidUtf8Strings())
                .map(v -> concat("{", v, ":\"v\"}"));
        Gen<Value> byShape = Gen.of("[\"team\"]", "\"team\"", "42", "true", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[1]}",
                "{\"\":\"v\"}").map(Value::json);
        Gen<Value> duplicate = Gen.of(new Value("{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.US_ASCII),
                true));
        return Gen.oneOf(bySize, byValue, byKey, byShape, duplicate);
    }

    // ------------------------------------------------------------------ whole bodies

    /** Body documents that are no JSON object of the endpoint's shape (for endpoints whose body is required). */
    static Gen<Value> malformedDocuments(String validBody) {
        String open = validBody.substring(0, validBody.length() - 1);
        return Gen.oneOf(
                Gen.of("", "null", "[]", "[{}]", "\"probe\"", "42", "true", "{", "}", "{}}", "{,}", "{\"a\"}",
                        "{'name':'probe'}", "{name:\"probe\"}", "/*c*/" + validBody, validBody + " x",
                        validBody + validBody, validBody + "}", "x" + validBody, open + ",}", open + ",\"\":1}",
                        open + ",\"n\":NaN}", open + ",\"n\":Infinity}", validBody + "\r\n\r\nGET / HTTP/1.1")
                        .map(Value::json),
                Gen.of(new Value(validBody + " + raw NUL", (validBody + "\u0000").getBytes(StandardCharsets.UTF_8))),
                Gen.of(1_001, 5_000, 20_000).map(n -> new Value(open + ",\"nest\":[[[…]]]} (depth " + n + ")",
                        (open + ",\"nest\":" + "[".repeat(n) + "]".repeat(n) + "}").getBytes(StandardCharsets.US_ASCII))),
                Gen.of(1_001, 10_000).map(n -> new Value("{\"a\":{\"a\":…}} (depth " + n + ")",
                        ("{\"a\":".repeat(n) + "1" + "}".repeat(n)).getBytes(StandardCharsets.US_ASCII))),
                Gen.of(30_000).map(n -> new Value("[[[…]]] (depth " + n + ")",
                        ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.US_ASCII))));
    }

    /** Field names no body has: typos, case and blank variants, the server's own fields, prototype names. */
    static Gen<String> unknownFieldNames() {
        return Gen.of("nmae", "Name", "NAME", "name ", " name", "id", "key", "account_id", "version", "deleted",
                "object", "last_used_ip", "created_at", "__proto__", "constructor", "", "\\u0000", "permission",
                "grace", "gracePeriodSeconds", "expiresAt", "secret");
    }

    /** Objects with a duplicate member: the same name twice, at the top or inside a nested object. */
    static Gen<Value> duplicateKeyDocuments(String validBody) {
        String open = validBody.substring(0, validBody.length() - 1);
        int colon = validBody.indexOf(':');
        String firstName = validBody.substring(1, colon);
        return Gen.of(open + "," + firstName + ":\"again\"}", open + "," + firstName + ":" + validBody + "}",
                        "{" + firstName + ":\"one\"," + firstName + ":\"two\"}")
                .map(Value::json);
    }

    // ------------------------------------------------------------------ query parameters, headers, paths

    /** Page and limit values that are no whole number above 0 (as sent, before percent-encoding). */
    static Gen<Value> nonPositiveOrNonIntegerTexts() {
        return Gen.of("0", "-0", "-1", "1.5", "1e3", "1e400", "9223372036854775808", "2147483648", "", " ", "abc",
                "0x10", "1,2", "\u0000", "null", "true", "[1]", "1/2", "1 1").map(Value::text);
    }

    /** Values of a true/false parameter that are neither. */
    static Gen<Value> booleanNearMissTexts() {
        return Gen.of("TRUE", "True", "1", "0", "yes", "", " true", "true ", "null", "\u0000", "t", "truee")
                .map(Value::text);
    }

    /** Media types a JSON body must not be sent under: wildcards, near misses, other types and charsets. */
    static Gen<String> contentTypeNearMisses() {
        return Gen.of("*/*", "application/*", "application/merge-patch+json", "application/json-patch+json",
                "application/json; charset=latin1", "application/json; charset=iso-8859-1",
                "application/json; charset=utf-16", "application/json; charset=nonsense", "text/json", "text/plain",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx",
                "application", "json", "", "application/xml", "application /json", "application/*+json", "text/*",
                "application/problem+json", "application/x-ndjson");
    }

    /** Accept values under which no write may happen: types the API never answers. */
    static Gen<String> unacceptableMediaTypes() {
        return Gen.of("application/xml", "text/html", "image/png", "text/plain", "application/x-ndjson", "text/csv",
                "application/pdf");
    }

    /** Accept values of all kinds, for reads (where any answer but a 5xx will do). */
    static Gen<Value> acceptHeaderValues() {
        return Gen.oneOf(unacceptableMediaTypes().map(Value::text),
                Gen.of("*/*", "application/*", "", "application/json;q=0.1, text/html", "application/json;charset=utf-8",
                        "application/json;q=0", "*/*;q=0", "text/*;q=1.5", ";;;", "application/json, */*;q=abc")
                        .map(Value::text),
                Gen.of(new Value("e-acute (raw UTF-8)", "\u00e9".getBytes(StandardCharsets.UTF_8)),
                        new Value("9,000 x's", "x".repeat(9_000).getBytes(StandardCharsets.US_ASCII))));
    }

    /** Forged or malformed X-Forwarded-For values. */
    static Gen<Value> forwardedForValues() {
        return Gen.oneOf(Gen.of("", "garbage", "1.2.3.4, garbage", "300.1.1.1", "::1", "[::1]", "2001:db8::1",
                        "127.0.0.1", "10.0.0.1", "1.1.1.1 , 2.2.2.2", "unknown", "_hidden", "1.1.1.1:8080", "-", ",,,",
                        "198.51.100.7, 127.0.0.1").map(Value::text),
                Gen.between(50, 400).map(n -> new Value(n + " addresses", String.join(", ",
                        java.util.Collections.nCopies(n, "10.0.0.1")).getBytes(StandardCharsets.US_ASCII))),
                Gen.of(new Value("raw NUL inside", "1.1.1.1\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                        new Value("e-acute (raw UTF-8)", "\u00e9".getBytes(StandardCharsets.UTF_8))));
    }

    /** X-Request-Id values that are no sane id. */
    static Gen<Value> requestIdValues() {
        return Gen.oneOf(Gen.of("", " ", "../../etc/passwd", "<script>", "a b", "%00", "{}", "'; drop table x; --")
                        .map(Value::text),
                Gen.between(129, 3_000).map(n -> new Value(n + " x's", "x".repeat(n).getBytes(StandardCharsets.US_ASCII))),
                Gen.of(new Value("bare CR inside", "a\rb".getBytes(StandardCharsets.US_ASCII)),
                        new Value("raw NUL", "a\u0000b".getBytes(StandardCharsets.ISO_8859_1)),
                        new Value("e-acute (raw UTF-8)", "\u00e9".getBytes(StandardCharsets.UTF_8)),
                        new Value("9,000 x's", "x".repeat(9_000).getBytes(StandardCharsets.US_ASCII))));
    }

    /** Idempotency-Key values outside 1..255 visible ASCII characters (which the app itself sees). */
    static Gen<Value> invalidIdempotencyKeysTheAppSees() {
        return Gen.of("", " ", "two words", "k".repeat(256), "k\tk", "k".repeat(1_000)).map(Value::text);
    }

    /** Idempotency-Key values with bytes outside visible ASCII: UTF-8, Latin-1, DEL, C1, NUL. */
    static Gen<Value> nonAsciiIdempotencyKeys() {
        return Gen.of(new Value("Cyrillic (raw UTF-8)", "\u043a\u043b\u044e\u0447".getBytes(StandardCharsets.UTF_8)),
                new Value("e-acute (raw Latin-1)", "k\u00e9y".getBytes(StandardCharsets.ISO_8859_1)),
                new Value("e-acute (raw UTF-8)", "k\u00e9y".getBytes(StandardCharsets.UTF_8)),
                new Value("DEL inside", "k\u007fk".getBytes(StandardCharsets.ISO_8859_1)),
                new Value("C1 0x85 inside", "k\u0085k".getBytes(StandardCharsets.ISO_8859_1)),
                new Value("NUL inside", "k\u0000k".getBytes(StandardCharsets.ISO_8859_1)),
                new Value("emoji (raw UTF-8)", "key-\ud83d\udd11".getBytes(StandardCharsets.UTF_8)));
    }

    /** If-Match values that are no entity tag of a version. */
    static Gen<Value> malformedIfMatch() {
        return Gen.oneOf(Gen.of("version-one", "\"1\", \"2\"", "\"\"", "\"-1\"", "\"1.5\"", "\"1e3\"",
                        "\"9999999999999999999\"", "W/", "\"x\"", "\"1\"\"", ",").map(Value::text),
                Gen.of(new Value("e-acute (raw UTF-8)", "\"\u00e9\"".getBytes(StandardCharsets.UTF_8)),
                        new Value("raw NUL after the tag", "\"1\"\u0000".getBytes(StandardCharsets.ISO_8859_1))));
    }

    /** If-Match values that name a version the key does not have. */
    static Gen<Value> staleIfMatch() {
        return Gen.of("\"0\"", "\"999999\"", "W/\"0\"", "\"123456789012345678\"").map(Value::text);
    }

    /** X-Consistency-Token values that are no token a write returned (none that would make the read wait). */
    static Gen<Value> malformedConsistencyTokens(String keyId) {
        return Gen.of("garbage", "", keyId + ":", ":1", keyId + ":-1", keyId + ":1e3", keyId + ":99999999999999999999",
                keyId.replace("-", "") + ":1", keyId + ":1:1", "x".repeat(5_000), keyId + " :1", "\u00e9:1").map(Value::text);
    }

    /** Path segments where a key or application id belongs that are no UUID (as sent: already encoded). */
    static Gen<String> nonUuidPathIds(String keyId) {
        return Gen.oneOf(Gen.of("not-a-uuid", "1", "0", "-1", "null", "undefined", "%00", "%2e%2e", "%2E%2E%2F",
                        "..%2f..%2fadmin", ";v=1", keyId + ";v=1", "%ff", "%C3%A9", "%E2%80%AE", keyId.replace("-", ""),
                        keyId + "x", "x" + keyId, keyId.substring(0, 35), "%7Bid%7D", "%2A", keyId.replace('-', '_'),
                        "%20" + keyId, keyId + "%20", keyId + "%0a", keyId + "%00", "%09", "%uD800", "%%", "%"),
                Gen.between(200, 4_000).map("x"::repeat));
    }

    // ------------------------------------------------------------------ helpers

    private static Value bytes(String shown, int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return new Value(shown, out);
    }

    private static Value insideJsonString(Value raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("\"pro".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(raw.bytes());
        out.writeBytes("be\"".getBytes(StandardCharsets.US_ASCII));
        return new Value("\"pro<" + raw.shown() + ">be\"", out.toByteArray(), true);
    }

    private static Value concat(String before, Value value, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value.bytes());
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return new Value(before + value.shown() + after, out.toByteArray(), value.breaksTheDocument());
    }

    private static Value manyEntries(int n, int valueLength) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"").append("v".repeat(valueLength))
                    .append('"');
        }
        return new Value("{" + n + " entries}", json.append('}').toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] quotedAscii(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.US_ASCII);
    }
}
