package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.Json;

import java.util.List;
import java.util.Map;

/**
 * A consistency proof as {@code GET /v1/transparency/consistency} answers it, saved to a file: the envelope
 * ({@code {"data": {"first", "second", "hashes"}}}) or its {@code data} alone.
 */
record ConsistencyFile(long first, long second, List<byte[]> hashes) {

    /** Throws {@link IllegalArgumentException} saying what is wrong with the file. */
    static ConsistencyFile parse(String text) {
        Object parsed = Json.parse(text.strip());
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Object proof = object.containsKey("data") ? object.get("data") : object;
        if (!(proof instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("its data is not an object");
        }
        Long first = AuditVerification.integer(fields.get("first"));
        Long second = AuditVerification.integer(fields.get("second"));
        List<byte[]> hashes = AuditVerification.hashes(fields.get("hashes"));
        if (first == null || second == null || hashes == null) {
            throw new IllegalArgumentException("it needs first and second (whole numbers) and hashes (at most 64 "
                    + "standard base64 SHA-256 hashes), as GET /v1/transparency/consistency answers");
        }
        return new ConsistencyFile(first, second, hashes);
    }
}
