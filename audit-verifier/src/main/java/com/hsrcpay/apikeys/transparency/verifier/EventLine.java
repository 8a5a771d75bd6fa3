package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.CanonicalJson;
import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What one event line of an export says, read for the audit and reused from line to line. A line in the layout the
 * service writes ({@code {"global_index":…,"key_id":…,"sequence_number":…,"type":…,"occurred_at":…,"payload":{…},
 * "chain_digest":…,"leaf_index":…,"inclusion_proof":{"tree_size":…,"hashes":[…]}}}, no blanks, no escapes outside
 * the payload) is read by a scan of its bytes: the payload straight into its canonical form, the proof's hashes left
 * as base64 text until one is needed; strings of the payload are checked to be UTF-8 as they are copied. Any other line (another order, blanks, escapes, a member more or less, text
 * that is not UTF-8) is read whole by the JSON reader, from which {@link #of(Map)} takes the same fields: the scan
 * accepts only lines that reader accepts and reads the same values from them, so which one read a line never
 * changes a verdict.
 */
final class EventLine {

    /** More proof hashes than this is a malformed proof (no tree of 2^63 leaves needs more). */
    static final int MAX_HASHES = 64;

    private static final byte[] GLOBAL_INDEX = ascii("{\"global_index\":");
    private static final byte[] KEY_ID = ascii(",\"key_id\":\"");
    private static final byte[] SEQUENCE = ascii(",\"sequence_number\":");
    private static final byte[] TYPE = ascii(",\"type\":\"");
    private static final byte[] OCCURRED_AT = ascii(",\"occurred_at\":\"");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");
    private static final byte[] CHAIN_DIGEST = ascii(",\"chain_digest\":");
    private static final byte[] LEAF_INDEX = ascii(",\"leaf_index\":");
    private static final byte[] INCLUSION_PROOF = ascii(",\"inclusion_proof\":");
    private static final byte[] TREE_SIZE = ascii("{\"tree_size\":");
    private static final byte[] HASHES = ascii(",\"hashes\":[");
    private static final byte[] NULL = ascii("null");

    /** The proof's state: none (null or absent), a tree size and hashes, or malformed. */
    enum Proof { NONE, GIVEN, MALFORMED }

    String keyId;
    Long sequence;
    String type;
    /** The line's chain_digest as written (null when it is none or not a string). */
    String claimed;
    /** Whether {@link #claimed} is 64 lowercase hex digits, the form of a chain digest. */
    boolean claimedWellFormed;
    Long leafIndex;
    Proof proof;
    Long treeSize;
    /** The proof's hashes: base64 text {@code hashText[hashStarts[i] .. hashEnds[i])}; false items when not text. */
    byte[] hashText;
    int[] hashStarts = new int[MAX_HASHES];
    int[] hashEnds = new int[MAX_HASHES];
    int hashCount;
    boolean hashesAreText;

    private final CanonicalJson canonical = new CanonicalJson();
    private final MessageDigest sha = ChainDigests.sha256();
    private boolean scanned;
    /** The last scanned proof: its text from after {@code "hashes":[} to the line's end, its hashes' places in it. */
    private byte[] lastProof = new byte[4096];
    private int lastLength = -1;
    private int lastCount;
    private final int[] lastStarts = new int[MAX_HASHES + 1];
    private final int[] lastEnds = new int[MAX_HASHES + 1];
    private boolean payloadPresent;
    private Map<String, Object> payload;

    /** Reads the line {@code text[start .. end)} by the scan; false when it is not in the service's layout. */
    boolean scan(byte[] text, int start, int end) {
        scanned = false;
        int at = expect(text, start, end, GLOBAL_INDEX);
        at = integer(text, at, end);
        at = expect(text, at, end, KEY_ID);
        int keyStart = at;
        at = plain(text, at, end);
        int keyEnd = at - 1;
        at = expect(text, at, end, SEQUENCE);
        int sequenceStart = at;
        at = integer(text, at, end);
        int sequenceEnd = at;
        at = expect(text, at, end, TYPE);
        int typeStart = at;
        at = plain(text, at, end);
        int typeEnd = at - 1;
        at = expect(text, at, end, OCCURRED_AT);
        at = plain(text, at, end);
        at = expect(text, at, end, PAYLOAD);
        if (at < 0 || sequenceEnd - sequenceStart > 18) {
            return false;
        }
        at = canonical.object(text, at, end);
        if (at < 0 || canonical.occurredAtUnusual()) {
            return false;
        }
        at = expect(text, at, end, CHAIN_DIGEST);
        int digestStart = -1;
        if (startsWith(text, at, end, NULL)) {
            at += NULL.length;
        } else if (at >= 0 && at + 66 <= end && text[at] == '"' && text[at + 65] == '"' && hex(text, at + 1, at + 65)) {
            digestStart = at + 1;
            at += 66;
        } else {
            return false;
        }
        at = expect(text, at, end, LEAF_INDEX);
        int leafStart = -1;
        int leafEnd = -1;
        if (startsWith(text, at, end, NULL)) {
            at += NULL.length;
        } else {
            leafStart = at;
            at = integer(text, at, end);
            leafEnd = at;
            if (at < 0 || leafEnd - leafStart > 18) {
                return false;
            }
        }
        Proof proofState = Proof.NONE;
        int sizeStart = -1;
        int sizeEnd = -1;
        int count = 0;
        int proofRegion = -1;
        if (at >= 0 && at + 1 != end) {
            at = expect(text, at, end, INCLUSION_PROOF);
            if (startsWith(text, at, end, NULL)) {
                at += NULL.length;
            } else {
                at = expect(text, at, end, TREE_SIZE);
                sizeStart = at;
                at = integer(text, at, end);
                sizeEnd = at;
                at = expect(text, at, end, HASHES);
                if (at < 0 || sizeEnd - sizeStart > 18) {
                    return false;
                }
                int region = at;
                int sharedFrom = sharedTail(text, region, end);
                if (at < end && text[at] == ']') {
                    at++;
                } else {
                    while (true) {
                        if (count == sharedFrom && at - region == lastStarts[count] - 1) {
                            // from here on the line is the last one's, byte for byte: its hashes, already scanned
                            for (int j = count; j < lastCount; j++) {
                                hashStarts[j] = region + lastStarts[j];
                                hashEnds[j] = region + lastEnds[j];
                            }
                            count = lastCount;
                            at = end - 2;
                            break;
                        }
                        if (at >= end || text[at] != '"' || count == MAX_HASHES) {
                            return false;
                        }
                        int hashEnd = at + 45; // a hash of 32 bytes is 44 base64 characters
                        if (!(hashEnd < end && text[hashEnd] == '"' && plain44(text, at + 1))) {
                            hashEnd = at + 1;
                            while (hashEnd < end && Words.plain(text[hashEnd])) {
                                hashEnd++;
                            }
                            if (hashEnd >= end || text[hashEnd] != '"') {
                                return false;
                            }
                        }
                        hashStarts[count] = at + 1;
                        hashEnds[count] = hashEnd;
                        count++;
                        at = hashEnd + 1;
                        if (at < end && text[at] == ',') {
                            at++;
                        } else if (at < end && text[at] == ']') {
                            at++;
                            break;
                        } else {
                            return false;
                        }
                    }
                }
                if (at >= end || text[at] != '}') {
                    return false;
                }
                at++;
                proofState = Proof.GIVEN;
                proofRegion = region;
            }
        }
        if (at < 0 || at + 1 != end || text[at] != '}') {
            return false;
        }
        if (proofRegion >= 0) {
            keepProof(text, proofRegion, end, count); // of a line accepted whole: the next may share its tail
        }
        keyId = new String(text, keyStart, keyEnd - keyStart, StandardCharsets.US_ASCII);
        sequence = Long.parseLong(new String(text, sequenceStart, sequenceEnd - sequenceStart,
                StandardCharsets.US_ASCII));
        type = new String(text, typeStart, typeEnd - typeStart, StandardCharsets.US_ASCII);
        claimed = digestStart < 0 ? null : new String(text, digestStart, 64, StandardCharsets.US_ASCII);
        claimedWellFormed = digestStart >= 0;
        leafIndex = leafStart < 0 ? null
                : Long.parseLong(new String(text, leafStart, leafEnd - leafStart, StandardCharsets.US_ASCII));
        proof = proofState;
        treeSize = sizeStart < 0 ? null
                : Long.parseLong(new String(text, sizeStart, sizeEnd - sizeStart, StandardCharsets.US_ASCII));
        hashText = text;
        hashCount = count;
        hashesAreText = true;
        payloadPresent = true;
        payload = null;
        scanned = true;
        return true;
    }

    /** Takes the fields from a line the JSON reader read (any layout). */
    void of(Map<String, Object> event) {
        scanned = false;
        keyId = AuditVerification.text(event.get("key_id"));
        sequence = AuditVerification.integer(event.get("sequence_number"));
        type = AuditVerification.text(event.get("type"));
        claimed = AuditVerification.text(event.get("chain_digest"));
        claimedWellFormed = wellFormed(claimed);
        payloadPresent = event.get("payload") instanceof Map<?, ?>;
        @SuppressWarnings("unchecked")
        Map<String, Object> content = payloadPresent ? (Map<String, Object>) event.get("payload") : null;
        payload = content;
        leafIndex = AuditVerification.integer(event.get("leaf_index"));
        proof = Proof.NONE;
        treeSize = null;
        hashCount = 0;
        hashesAreText = true;
        if (event.get("inclusion_proof") instanceof Map<?, ?> fields) {
            treeSize = AuditVerification.integer(fields.get("tree_size"));
            if (fields.get("hashes") instanceof List<?> list && list.size() <= MAX_HASHES) {
                proof = Proof.GIVEN;
                StringBuilder all = new StringBuilder();
                hashesAreText = true;
                for (Object item : list) {
                    if (!(item instanceof String text)) {
                        hashesAreText = false;
                        break;
                    }
                    hashStarts[hashCount] = all.length();
                    all.append(text);
                    hashEnds[hashCount] = all.length();
                    hashCount++;
                }
                // base64 is ASCII: a character beyond Latin-1 becomes '?', which base64 refuses as it refuses the char
                hashText = all.toString().getBytes(StandardCharsets.ISO_8859_1);
            } else {
                proof = Proof.MALFORMED;
            }
        }
    }

    boolean hasPayload() {
        return payloadPresent;
    }

    /** The chain digest this line's content gives after {@code previous}, hex; null when its payload has no instant. */
    String digest(String previous) {
        try {
            if (scanned) {
                String occurred = canonical.occurredAt();
                return HexFormat.of().formatHex(ChainDigests.digest(sha, previous, keyId, sequence, type,
                        ChainDigests.occurredAt(occurred == null ? "" : occurred), canonical.bytes(),
                        canonical.length()));
            }
            return ChainDigests.digest(previous, keyId, sequence, type, payload);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean wellFormed(String digest) {
        if (digest == null || digest.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = digest.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first hash from which the proof's text (from {@code region}, after {@code "hashes":[}, to the line's end) is
     * the last scanned proof's, byte for byte, trying the hashes 1, 2, 4, … (the hashes of neighbouring leaves differ
     * at the bottom of the tree, not above); {@link #MAX_HASHES} when it is not. Such a tail needs no scan of its own.
     */
    private int sharedTail(byte[] text, int region, int end) {
        if (lastCount < 2 || end - region != lastLength) {
            return MAX_HASHES;
        }
        for (int h = 1; h < lastCount; h <<= 1) {
            int from = lastStarts[h] - 1;
            if (Arrays.equals(text, region + from, end, lastProof, from, lastLength)) {
                return h;
            }
        }
        return MAX_HASHES;
    }

    /** Keeps this proof's text (from {@code region} to the line's end) and its hashes' places, for the next line. */
    private void keepProof(byte[] text, int region, int end, int count) {
        lastLength = end - region;
        if (lastProof.length < lastLength) {
            lastProof = new byte[Math.max(lastLength, 2 * lastProof.length)];
        }
        System.arraycopy(text, region, lastProof, 0, lastLength);
        for (int j = 0; j < count; j++) {
            lastStarts[j] = hashStarts[j] - region;
            lastEnds[j] = hashEnds[j] - region;
        }
        lastCount = count;
    }

    /** The index after {@code expected} at {@code at}, or -1 when the text does not go on with it. */
    private static int expect(byte[] text, int at, int end, byte[] expected) {
        return startsWith(text, at, end, expected) ? at + expected.length : -1;
    }

    private static boolean startsWith(byte[] text, int at, int end, byte[] expected) {
        return at >= 0 && at + expected.length <= end
                && Arrays.equals(text, at, at + expected.length, expected, 0, expected.length);
    }

    /** The index after a JSON integer of digits only (no sign, no leading zero), or -1. */
    private static int integer(byte[] text, int at, int end) {
        if (at < 0 || at >= end || text[at] < '0' || text[at] > '9') {
            return -1;
        }
        if (text[at] == '0') {
            return at + 1 < end && text[at + 1] >= '0' && text[at + 1] <= '9' ? -1 : at + 1;
        }
        int i = at;
        while (i < end && text[i] >= '0' && text[i] <= '9') {
            i++;
        }
        return i;
    }

    /** The index after the closing quote of a string of plain ASCII (no escape, no control character), or -1. */
    private static int plain(byte[] text, int at, int end) {
        if (at < 0) {
            return -1;
        }
        for (int i = at; i < end; i++) {
            byte b = text[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\' || b < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean hex(byte[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = text[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the 44 bytes from {@code at} can stand in a JSON string as they are. Such a string's value is its bytes,
     * as the JSON reader would read it; whether they are base64 is the decoder's question, when one is decoded.
     */
    private static boolean plain44(byte[] text, int at) {
        return Words.plain(Words.at(text, at)) && Words.plain(Words.at(text, at + 8))
                && Words.plain(Words.at(text, at + 16)) && Words.plain(Words.at(text, at + 24))
                && Words.plain(Words.at(text, at + 32)) && Words.plain(text[at + 40]) && Words.plain(text[at + 41])
                && Words.plain(text[at + 42]) && Words.plain(text[at + 43]);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
