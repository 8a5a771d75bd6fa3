package com.hsrcpay.apikeys.transparency.chain;

/**
 * The canonical form of {@link ChainDigests} written straight from the UTF-8 bytes of a JSON object, without a tree
 * or a String per value: the verifier's pass over a million-line export spends its time here. It reads the JSON the
 * service writes (no blanks, names of plain ASCII, escapes other than surrogate {@code \\u} ones) and gives up on
 * anything else, answering -1; the caller then reads the text with {@link Json} and {@link ChainDigests#canonical}.
 * Wherever this one answers, the two give the same bytes (tested side by side), so giving up never changes a verdict.
 * Text that is not UTF-8 is given up on too (the caller's strict decoding then reports it).
 */
public final class CanonicalJson {

    private static final int MAX_DEPTH = 64;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] OCCURRED_AT = "occurredAt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] out = new byte[2048];
    private int length;
    private byte[] scratch = new byte[2048];
    /** Per member of the objects being read: name start, name end (in the source), segment start, end (in out). */
    private int[] members = new int[256];
    private int memberTop;
    private byte[] source;
    private int at;
    private int end;
    private int occurredStart;
    private int occurredEnd;

    /**
     * Reads the object at {@code start} (not beyond {@code limit}) and writes its canonical form; answers the index
     * after the object, or -1 when this reader gives up (the text is not an object it reads).
     */
    public int object(byte[] text, int start, int limit) {
        source = text;
        at = start;
        end = limit;
        length = 0;
        memberTop = 0;
        occurredStart = -1;
        occurredEnd = -1;
        if (peek() != '{' || !object(0)) {
            return -1;
        }
        return at;
    }

    /** The canonical bytes: {@code bytes()[0 .. length())}. */
    public byte[] bytes() {
        return out;
    }

    public int length() {
        return length;
    }

    /** The text of the object's own {@code occurredAt} string (no escapes in it), or null when it has none such. */
    public String occurredAt() {
        return occurredStart < 0 ? null
                : new String(source, occurredStart, occurredEnd - occurredStart, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the object has a member {@code occurredAt} that is not a string without escapes. */
    public boolean occurredAtUnusual() {
        return occurredStart == -2;
    }

    /**
     * The length of the UTF-8 sequence at {@code i} as the JDK's strict decoder takes it (no overlong form, no
     * surrogate, nothing above U+10FFFF), or -1.
     */
    private int utf8(int i) {
        int c = source[i] & 0xFF;
        int more;
        int low = 0x80;
        int high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        if (i + more >= end) {
            return -1;
        }
        int second = source[i + 1] & 0xFF;
        if (second < low || second > high) {
            return -1;
        }
        for (int k = 2; k <= more; k++) {
            int b = source[i + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                return -1;
            }
        }
        return more + 1;
    }

    private boolean value(int depth) {
        return switch (peek()) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean object(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        at++;
        put('{');
        int objectStart = length;
        int base = memberTop;
        if (peek() == '}') {
            at++;
            put('}');
            return true;
        }
        while (true) {
            if (peek() != '"') {
                return false;
            }
            int nameStart = at + 1;
            int nameEnd = nameStart;
            while (nameEnd < end && source[nameEnd] != '"') {
                byte b = source[nameEnd];
                if (b == '\\' || b < 0x20) { // an escape, a control character or a byte above ASCII (negative)
                    return false;
                }
                nameEnd++;
            }
            if (nameEnd >= end) {
                return false;
            }
            at = nameEnd + 1;
            if (next() != ':') {
                return false;
            }
            int segmentStart = length;
            put('"');
            put(source, nameStart, nameEnd);
            put('"');
            put(':');
            boolean occurred = depth == 0 && nameEnd - nameStart == OCCURRED_AT.length
                    && java.util.Arrays.equals(source, nameStart, nameEnd, OCCURRED_AT, 0, OCCURRED_AT.length);
            int valueStart = at;
            if (!value(depth + 1)) {
                return false;
            }
            if (occurred) {
                plainString(valueStart);
            }
            if (memberTop + 4 > members.length) {
                members = java.util.Arrays.copyOf(members, members.length * 2);
            }
            members[memberTop++] = nameStart;
            members[memberTop++] = nameEnd;
            members[memberTop++] = segmentStart;
            members[memberTop++] = length;
            int c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return false;
            }
        }
        if (!sortMembers(base, objectStart)) {
            return false;
        }
        memberTop = base;
        put('}');
        return true;
    }

    /** Writes the object's members (segments of out from objectStart) in the order of their names, comma-separated. */
    private boolean sortMembers(int base, int objectStart) {
        int count = (memberTop - base) / 4;
        int[] order = new int[count];
        boolean sorted = true;
        for (int i = 0; i < count; i++) {
            int j = i;
            while (j > 0 && compareNames(base, order[j - 1], i) > 0) {
                j--;
            }
            if (j > 0 && compareNames(base, order[j - 1], i) == 0) {
                return false; // a name twice: the JSON reader refuses the line
            }
            if (j != i) {
                sorted = false;
                System.arraycopy(order, j, order, j + 1, i - j);
            }
            order[j] = i;
        }
        int total = length - objectStart;
        if (scratch.length < total) {
            scratch = new byte[Math.max(total, scratch.length * 2)];
        }
        System.arraycopy(out, objectStart, scratch, 0, total);
        length = objectStart;
        for (int k = 0; k < count; k++) {
            int m = base + 4 * (sorted ? k : order[k]);
            if (k > 0) {
                put(',');
            }
            put(scratch, members[m + 2] - objectStart, members[m + 3] - objectStart);
        }
        return true;
    }

    private int compareNames(int base, int a, int b) {
        int ma = base + 4 * a;
        int mb = base + 4 * b;
        // plain ASCII names: their byte order is String's order
        return java.util.Arrays.compare(source, members[ma], members[ma + 1], source, members[mb], members[mb + 1]);
    }

    /** Records the string at {@code start} as the occurredAt text when it has no escape. */
    private void plainString(int start) {
        occurredStart = -2;
        if (source[start] != '"') {
            return;
        }
        for (int i = start + 1; i < at - 1; i++) {
            if (source[i] == '\\') {
                return;
            }
        }
        occurredStart = start + 1;
        occurredEnd = at - 1;
    }

    private boolean array(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        at++;
        put('[');
        if (peek() == ']') {
            at++;
            put(']');
            return true;
        }
        while (true) {
            if (!value(depth + 1)) {
                return false;
            }
            int c = next();
            if (c == ']') {
                put(']');
                return true;
            }
            if (c != ',') {
                return false;
            }
            put(',');
        }
    }

    private boolean string() {
        at++;
        put('"');
        while (at < end) {
            byte b = source[at];
            if (b == '"') {
                at++;
                put('"');
                return true;
            }
            if (b == '\\') {
                if (!escape()) {
                    return false;
                }
                continue;
            }
            if (b >= 0 && b < 0x20) {
                return false; // a raw control character: not JSON
            }
            if (b < 0) {
                int n = utf8(at);
                if (n < 0) {
                    return false; // not UTF-8: the caller's strict decoding reports it
                }
                put(source, at, at + n);
                at += n;
                continue;
            }
            put(b);
            at++;
        }
        return false;
    }

    private boolean escape() {
        if (at + 1 >= end) {
            return false;
        }
        byte e = source[at + 1];
        at += 2;
        switch (e) {
            case '"', '\\', 'b', 'f', 'n', 'r', 't' -> {
                put('\\');
                put(e);
            }
            case '/' -> put('/');
            case 'u' -> {
                int c = 0;
                for (int i = 0; i < 4; i++) {
                    int d = at + i < end ? Character.digit(source[at + i], 16) : -1;
                    if (d < 0) {
                        return false;
                    }
                    c = c * 16 + d;
                }
                at += 4;
                if (c >= 0xD800 && c <= 0xDFFF) {
                    return false; // a surrogate: left to the JSON reader, which pairs them
                }
                character(c);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** One character of a string as the canonical form writes it (ChainDigests.quote, then UTF-8). */
    private void character(int c) {
        switch (c) {
            case '"' -> {
                put('\\');
                put('"');
            }
            case '\\' -> {
                put('\\');
                put('\\');
            }
            case '\b' -> {
                put('\\');
                put('b');
            }
            case '\t' -> {
                put('\\');
                put('t');
            }
            case '\n' -> {
                put('\\');
                put('n');
            }
            case '\f' -> {
                put('\\');
                put('f');
            }
            case '\r' -> {
                put('\\');
                put('r');
            }
            default -> {
                if (c < 0x20) {
                    put('\\');
                    put('u');
                    put('0');
                    put('0');
                    put(HEX[c >> 4]);
                    put(HEX[c & 0xF]);
                } else if (c < 0x80) {
                    put(c);
                } else if (c < 0x800) {
                    put(0xC0 | (c >> 6));
                    put(0x80 | (c & 0x3F));
                } else {
                    put(0xE0 | (c >> 12));
                    put(0x80 | ((c >> 6) & 0x3F));
                    put(0x80 | (c & 0x3F));
                }
            }
        }
    }

    private boolean number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9') {
                at++;
            }
        } else {
            return false;
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            at++;
            if (!digits()) {
                return false;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!digits()) {
                return false;
            }
        }
        if (integral) {
            if (at - start == 2 && source[start] == '-') {
                put('0'); // -0: BigInteger writes 0
            } else {
                put(source, start, at);
            }
        } else {
            String canonical = ChainDigests.canonicalNumber(
                    new String(source, start, at - start, java.nio.charset.StandardCharsets.US_ASCII), false);
            for (int i = 0; i < canonical.length(); i++) {
                put(canonical.charAt(i));
            }
        }
        return true;
    }

    private boolean digits() {
        if (!(peek() >= '0' && peek() <= '9')) {
            return false;
        }
        while (peek() >= '0' && peek() <= '9') {
            at++;
        }
        return true;
    }

    private boolean literal(String word) {
        if (at + word.length() > end) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (source[at + i] != word.charAt(i)) {
                return false;
            }
        }
        at += word.length();
        for (int i = 0; i < word.length(); i++) {
            put(word.charAt(i));
        }
        return true;
    }

    private int peek() {
        return at < end ? source[at] : -1;
    }

    private int next() {
        return at < end ? source[at++] : -1;
    }

    private void put(int b) {
        if (length == out.length) {
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        out[length++] = (byte) b;
    }

    private void put(byte[] from, int start, int stop) {
        int n = stop - start;
        if (length + n > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(length + n, out.length * 2));
        }
        System.arraycopy(from, start, out, length, n);
        length += n;
    }
}
