package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Inclusion proofs (RFC 9162 section 2.1.3.2) against one signed root, checked the way an account's export needs:
 * proofs of nearby leaves share their upper nodes. A verified proof's nodes (each node it computed and each sibling it
 * held, named by level and index in the tree of {@code size}) are remembered as authenticated, the siblings with the
 * base64 text they came as. Every hash of every proof is still checked, but cheaply where it repeats one:
 * <ul>
 *   <li>a sibling written exactly as an authenticated node's text is that node (base64 decodes one text to one
 *   value): it is not decoded; one written otherwise where an authenticated node is, is decoded and must equal it;</li>
 *   <li>where the path's node and its sibling are both authenticated, their parent is the authenticated parent, not
 *   hashed again; a computed node that is remembered must equal it;</li>
 *   <li>once the path reaches, authenticated, a node of the last proof that passed, and its remaining hashes are that
 *   proof's, byte for byte (one comparison), the rest is that proof's verified path to the root.</li>
 * </ul>
 * So a proof passes exactly when it is the audit path to the root: the verdict of {@code MerkleProofs.verifyInclusion},
 * with a hash per new node instead of per node. A proof of the wrong length for its leaf is refused before any hashing.
 *
 * <p>The memory is a direct-mapped table of 65,536 nodes (a newer node takes an older one's slot): forgetting only
 * costs hashing, never a verdict.
 */
final class InclusionChecks {

    private static final int SLOTS = 1 << 16;
    private static final int TEXT = 48;

    private final long size;
    private final byte[] root;
    private final MessageDigest sha = ChainDigests.sha256();
    private final long[] ids = new long[SLOTS];
    private final byte[] hashes = new byte[SLOTS * MerkleHashes.SIZE];
    private final byte[] texts = new byte[SLOTS * TEXT];
    private final byte[] textLengths = new byte[SLOTS];

    /** The nodes of the proof being checked, remembered once it passed. */
    private final long[] newIds = new long[2 * EventLine.MAX_HASHES + 2];
    private final byte[][] newHashes = new byte[2 * EventLine.MAX_HASHES + 2][];
    private final int[] newTextStarts = new int[2 * EventLine.MAX_HASHES + 2];
    private final int[] newTextEnds = new int[2 * EventLine.MAX_HASHES + 2];
    private int news;

    /** The last proof that passed: its parents' ids step by step, and its hashes' text (offsets from its first). */
    private final long[] parents = new long[EventLine.MAX_HASHES];
    private final long[] lastParents = new long[EventLine.MAX_HASHES];
    private int lastCount = -1;
    private byte[] lastText = new byte[64 * 48];
    private final int[] lastStarts = new int[EventLine.MAX_HASHES];
    private final int[] lastEnds = new int[EventLine.MAX_HASHES];

    InclusionChecks(long size, byte[] root) {
        this.size = size;
        this.root = root.clone();
        Arrays.fill(ids, -1);
    }

    /** Whether {@code proof} (standard base64 hashes, Strings) shows {@code leafHash} at {@code leafIndex}. */
    boolean verify(long leafIndex, byte[] leafHash, List<?> proof) {
        StringBuilder all = new StringBuilder();
        int[] starts = new int[proof.size()];
        int[] ends = new int[proof.size()];
        for (int i = 0; i < proof.size(); i++) {
            if (!(proof.get(i) instanceof String text)) {
                return false;
            }
            starts[i] = all.length();
            all.append(text);
            ends[i] = all.length();
        }
        return verify(leafIndex, leafHash, all.toString().getBytes(StandardCharsets.ISO_8859_1), starts, ends,
                proof.size());
    }

    /** Whether the proof of {@code count} hashes, base64 {@code text[starts[i] .. ends[i])}, shows the leaf. */
    boolean verify(long leafIndex, byte[] leafHash, byte[] text, int[] starts, int[] ends, int count) {
        if (leafIndex < 0 || leafIndex >= size || count != length(leafIndex) || count > EventLine.MAX_HASHES) {
            return false;
        }
        news = 0;
        long fn = leafIndex;
        long sn = size - 1;
        int level = 0;
        byte[] r = leafHash;
        int rSlot = -1; // when r is null: the slot holding the authenticated value of the current node
        int leaf = find(id(0, fn));
        boolean authentic = leaf >= 0;
        if (authentic && !equal(leaf, r)) {
            return false;
        }
        if (!authentic) {
            keep(id(0, fn), r, -1, -1);
        }
        for (int k = 0; k < count; k++) {
            boolean siblingLeft = (fn & 1) == 1 || fn == sn;
            if (siblingLeft) {
                // the last node of its level has no right sibling: its parent is itself, up to an odd index
                while ((fn & 1) == 0) {
                    fn >>= 1;
                    sn >>= 1;
                    level++;
                }
            }
            long siblingId = id(level, siblingLeft ? fn - 1 : fn + 1);
            fn >>= 1;
            sn >>= 1;
            level++;
            long parentId = id(level, fn);
            parents[k] = parentId;
            if (authentic && k > 0 && sharedTail(k, text, starts, ends, count)) {
                return passed(k, fn, sn, level, text, starts, ends, count);
            }
            int s = find(siblingId);
            byte[] sibling = null;
            if (s >= 0 && !sameText(s, text, starts[k], ends[k])) {
                // written otherwise than the remembered text (or remembered without one): it must be that value
                sibling = decode(text, starts[k], ends[k]);
                if (sibling == null || !equal(s, sibling)) {
                    return false;
                }
            }
            if (authentic && s >= 0) {
                // both children authenticated: the parent, when remembered, is theirs without hashing them
                int p = find(parentId);
                if (p >= 0) {
                    r = null;
                    rSlot = p;
                    continue;
                }
            }
            if (s >= 0) {
                if (sibling == null) {
                    sibling = Arrays.copyOfRange(hashes, s * MerkleHashes.SIZE, (s + 1) * MerkleHashes.SIZE);
                }
            } else {
                sibling = decode(text, starts[k], ends[k]);
                if (sibling == null) {
                    return false;
                }
                keep(siblingId, sibling, starts[k], ends[k]);
            }
            if (r == null) {
                r = Arrays.copyOfRange(hashes, rSlot * MerkleHashes.SIZE, (rSlot + 1) * MerkleHashes.SIZE);
            }
            r = siblingLeft ? MerkleHashes.node(sha, sibling, r) : MerkleHashes.node(sha, r, sibling);
            boolean siblingAuthentic = s >= 0;
            int p = find(parentId);
            if (p >= 0) {
                if (!equal(p, r)) {
                    return false;
                }
                authentic = true;
            } else {
                authentic = authentic && siblingAuthentic;
                keep(parentId, r, -1, -1);
            }
        }
        if (r == null) {
            r = Arrays.copyOfRange(hashes, rSlot * MerkleHashes.SIZE, (rSlot + 1) * MerkleHashes.SIZE);
        }
        if (sn != 0 || !MessageDigest.isEqual(r, root)) {
            return false;
        }
        return passed(count, fn, sn, level, text, starts, ends, count);
    }

    /**
     * Whether, from step {@code k} on, this proof is the last passed one: the same node reached before step k (so the
     * same siblings' places above it) and its hashes from k on written exactly as that proof's. The current node
     * being authenticated, the rest of the path is that proof's verified path to the root, checked in one comparison.
     */
    private boolean sharedTail(int k, byte[] text, int[] starts, int[] ends, int count) {
        if (lastCount != count || lastParents[k - 1] != parents[k - 1]) {
            return false;
        }
        int offset = starts[k] - lastStarts[k];
        for (int j = k; j < count; j++) {
            if (starts[j] - lastStarts[j] != offset || ends[j] - lastEnds[j] != offset) {
                return false;
            }
        }
        return Arrays.equals(text, starts[k], ends[count - 1], lastText, lastStarts[k], lastEnds[count - 1]);
    }

    /** The proof passed from step {@code k} on: its new nodes are remembered, and it becomes the last passed one. */
    private boolean passed(int k, long fn, long sn, int level, byte[] text, int[] starts, int[] ends, int count) {
        for (int i = 0; i < news; i++) {
            remember(newIds[i], newHashes[i], text, newTextStarts[i], newTextEnds[i]);
        }
        // the parents above step k are the last proof's (the same node's ancestors)
        System.arraycopy(lastParents, k, parents, k, count - k);
        System.arraycopy(parents, 0, lastParents, 0, count);
        if (count == 0) {
            lastCount = 0;
            return true;
        }
        int from = starts[0];
        int to = ends[count - 1];
        if (to - from > lastText.length) {
            lastText = new byte[to - from];
        }
        System.arraycopy(text, from, lastText, 0, to - from); // a shared tail is the same text
        for (int j = 0; j < count; j++) {
            lastStarts[j] = starts[j] - from;
            lastEnds[j] = ends[j] - from;
        }
        lastCount = count;
        return true;
    }

    /** The number of hashes in the audit path of {@code leafIndex}: the verification's steps, without hashing. */
    private long length(long leafIndex) {
        long fn = leafIndex;
        long sn = size - 1;
        long steps = 0;
        while (sn != 0) {
            if ((fn & 1) == 1 || fn == sn) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            fn >>= 1;
            sn >>= 1;
            steps++;
        }
        return steps;
    }

    private void keep(long id, byte[] hash, int textStart, int textEnd) {
        newIds[news] = id;
        newHashes[news] = hash;
        newTextStarts[news] = textStart;
        newTextEnds[news] = textEnd;
        news++;
    }

    private void remember(long id, byte[] hash, byte[] text, int textStart, int textEnd) {
        int slot = slot(id);
        ids[slot] = id;
        System.arraycopy(hash, 0, hashes, slot * MerkleHashes.SIZE, MerkleHashes.SIZE);
        int length = textStart < 0 || textEnd - textStart > TEXT ? 0 : textEnd - textStart;
        textLengths[slot] = (byte) length;
        if (length > 0) {
            System.arraycopy(text, textStart, texts, slot * TEXT, length);
        }
    }

    /** The slot of an authenticated node, or -1 when it is not remembered. */
    private int find(long id) {
        int slot = slot(id);
        return ids[slot] == id ? slot : -1;
    }

    private static int slot(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> (64 - 16));
    }

    private boolean equal(int slot, byte[] hash) {
        return Arrays.equals(hashes, slot * MerkleHashes.SIZE, (slot + 1) * MerkleHashes.SIZE, hash, 0,
                MerkleHashes.SIZE);
    }

    private boolean sameText(int slot, byte[] text, int start, int end) {
        int length = textLengths[slot];
        return length > 0 && end - start == length
                && Arrays.equals(texts, slot * TEXT, slot * TEXT + length, text, start, end);
    }

    /** A node of the tree of {@code size}: the 2^level leaves from {@code index * 2^level} (fewer at the right edge). */
    private static long id(int level, long index) {
        return ((long) level << 57) | index;
    }

    private static final byte[] BASE64 = new byte[256];

    static {
        Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    /**
     * A hash's base64: the usual 44 characters (43 and '=') read here, as the JDK's decoder reads them (the two bits
     * beyond the 32 bytes ignored); any other text by that decoder.
     */
    static byte[] decode(byte[] text, int start, int end) {
        if (end - start == 44 && text[end - 1] == '=') {
            byte[] hash = new byte[MerkleHashes.SIZE];
            int bad = 0;
            int o = 0;
            int i = start;
            for (int group = 0; group < 10; group++, i += 4) {
                int a = BASE64[text[i] & 0xFF];
                int b = BASE64[text[i + 1] & 0xFF];
                int c = BASE64[text[i + 2] & 0xFF];
                int d = BASE64[text[i + 3] & 0xFF];
                bad |= a | b | c | d;
                int bits = (a << 18) | (b << 12) | (c << 6) | d;
                hash[o++] = (byte) (bits >> 16);
                hash[o++] = (byte) (bits >> 8);
                hash[o++] = (byte) bits;
            }
            int a = BASE64[text[i] & 0xFF];
            int b = BASE64[text[i + 1] & 0xFF];
            int c = BASE64[text[i + 2] & 0xFF];
            bad |= a | b | c;
            int bits = (a << 18) | (b << 12) | (c << 6);
            hash[o++] = (byte) (bits >> 16);
            hash[o] = (byte) (bits >> 8);
            return bad < 0 ? null : hash;
        }
        try {
            byte[] hash = Base64.getDecoder().decode(Arrays.copyOfRange(text, start, end));
            return hash.length == MerkleHashes.SIZE ? hash : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
