package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of an export as a JSON object. A line ending in its inclusion proof as the service writes it
 * ({@code ,"inclusion_proof":{"tree_size":n,"hashes":["…",…]}}}: base64 strings only) has that proof read by a plain
 * scan and the rest by the JSON reader: the proof is most of a line, and the same object results as from reading the
 * whole line. Anything else (another spelling, another order) is read whole by the JSON reader.
 */
final class ExportLines {

    private static final String PROOF = ",\"inclusion_proof\":{\"tree_size\":";
    private static final String HASHES = ",\"hashes\":[";

    private ExportLines() {
    }

    /** The line's object; throws {@link IllegalArgumentException} for a line that is not a JSON object. */
    static Object parse(String line) {
        int start = line.lastIndexOf(PROOF);
        if (start > 0) {
            Map<String, Object> proof = proof(line, start + PROOF.length());
            if (proof != null) {
                Object rest = Json.parse(line.substring(0, start) + "}");
                if (rest instanceof Map<?, ?> object && !object.containsKey("inclusion_proof")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = (Map<String, Object>) object;
                    event.put("inclusion_proof", proof);
                    return event;
                }
            }
        }
        return Json.parse(line);
    }

    /** {@code n,"hashes":["…",…]}}} to the end of the line, or null when it is anything else. */
    private static Map<String, Object> proof(String line, int at) {
        int digits = at;
        while (digits < line.length() && Character.isDigit(line.charAt(digits))) {
            digits++;
        }
        if (digits == at || digits - at > 18 || (line.charAt(at) == '0' && digits - at > 1)
                || !line.startsWith(HASHES, digits)) {
            return null;
        }
        String treeSize = line.substring(at, digits);
        List<Object> hashes = new ArrayList<>();
        int i = digits + HASHES.length();
        if (i < line.length() && line.charAt(i) == ']') {
            i++;
        } else {
            while (true) {
                if (i >= line.length() || line.charAt(i) != '"') {
                    return null;
                }
                int end = i + 1;
                while (end < line.length() && base64(line.charAt(end))) {
                    end++;
                }
                if (end >= line.length() || line.charAt(end) != '"') {
                    return null;
                }
                hashes.add(line.substring(i + 1, end));
                i = end + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i < line.length() && line.charAt(i) == ']') {
                    i++;
                    break;
                } else {
                    return null;
                }
            }
        }
        if (!line.startsWith("}}", i) || i + 2 != line.length()) {
            return null;
        }
        return Map.of("tree_size", new Json.Number(treeSize, true), "hashes", hashes);
    }

    private static boolean base64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '=';
    }
}
