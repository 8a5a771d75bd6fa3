package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inclusion proofs (RFC 9162 section 2.1.3.2) against one signed root, checked the way an account's export needs:
 * many proofs of nearby leaves share their upper nodes, so the nodes a verified proof authenticated (every node it
 * computed and every sibling it held, each named by its level and index in the tree of {@code size}) are remembered,
 * and the next proof stops at the first node it computes that is already authenticated: equal, the leaf is in the
 * tree (its path leads to a node that leads to the root); different, it is not. A proof of the wrong length for its
 * leaf is refused before any hashing, as {@code MerkleProofs.verifyInclusion} refuses it.
 */
final class InclusionChecks {

    private static final int REMEMBERED = 1 << 16;

    private final long size;
    private final byte[] root;
    private final Map<Long, byte[]> authenticated = new LinkedHashMap<>(1 << 12, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > REMEMBERED;
        }
    };

    InclusionChecks(long size, byte[] root) {
        this.size = size;
        this.root = root.clone();
    }

    /** Whether {@code proof} (standard base64 hashes) shows {@code leafHash} at {@code leafIndex}. */
    boolean verify(long leafIndex, byte[] leafHash, List<?> proof) {
        if (leafIndex < 0 || leafIndex >= size || proof.size() != length(leafIndex)) {
            return false;
        }
        List<Long> ids = new ArrayList<>(2 * proof.size() + 1);
        List<byte[]> hashes = new ArrayList<>(2 * proof.size() + 1);
        long fn = leafIndex;
        long sn = size - 1;
        int level = 0;
        byte[] r = leafHash;
        Boolean known = known(id(0, fn), r);
        if (known != null) {
            return known;
        }
        ids.add(id(0, fn));
        hashes.add(r);
        for (Object item : proof) {
            byte[] p = decode(item);
            if (p == null) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                // the last node of its level has no right sibling: its parent is itself, up to an odd index
                while ((fn & 1) == 0) {
                    fn >>= 1;
                    sn >>= 1;
                    level++;
                }
                ids.add(id(level, fn - 1));
                hashes.add(p);
                r = MerkleHashes.node(p, r);
            } else {
                ids.add(id(level, fn + 1));
                hashes.add(p);
                r = MerkleHashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
            level++;
            known = known(id(level, fn), r);
            if (known != null) {
                if (known) {
                    remember(ids, hashes);
                }
                return known;
            }
            ids.add(id(level, fn));
            hashes.add(r);
        }
        if (sn != 0 || !MessageDigest.isEqual(r, root)) {
            return false;
        }
        remember(ids, hashes);
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

    /** True or false when the node is authenticated (equal or not), null when it is not known. */
    private Boolean known(long id, byte[] hash) {
        byte[] authentic = authenticated.get(id);
        return authentic == null ? null : MessageDigest.isEqual(authentic, hash);
    }

    private void remember(List<Long> ids, List<byte[]> hashes) {
        for (int i = 0; i < ids.size(); i++) {
            authenticated.put(ids.get(i), hashes.get(i));
        }
    }

    /** A node of the tree of {@code size}: the 2^level leaves from {@code index * 2^level} (fewer at the right edge). */
    private static long id(int level, long index) {
        return ((long) level << 57) | index;
    }

    private static byte[] decode(Object item) {
        if (!(item instanceof String text)) {
            return null;
        }
        try {
            byte[] hash = Base64.getDecoder().decode(text);
            return hash.length == MerkleHashes.SIZE ? hash : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
