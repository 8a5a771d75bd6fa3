package com.hsrcpay.apikeys.transparency.merkle;

import java.security.MessageDigest;
import java.util.List;

/** Checks of proofs as RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency) give them. */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** Whether {@code proof} shows the leaf with {@code leafHash} at {@code leafIndex} in the tree of {@code size} and {@code root}. */
    public static boolean verifyInclusion(long leafIndex, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (leafIndex < 0 || leafIndex >= size || !wellFormed(proof) || leafHash == null
                || leafHash.length != MerkleHashes.SIZE || root == null) {
            return false;
        }
        long fn = leafIndex;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Whether {@code proof} shows the tree of {@code second} leaves and {@code secondRoot} extends the one of
     * {@code first} (at least 1) and {@code firstRoot}.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first < 0 || first > second || !wellFormed(proof) || firstRoot == null || secondRoot == null) {
            return false;
        }
        if (first == 0) {
            // a proof from the empty tree is not defined (and would prove nothing)
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        int next = 0;
        byte[] start;
        if (Long.bitCount(first) == 1) {
            start = firstRoot;
        } else {
            start = proof.get(next++);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = start;
        byte[] sr = start;
        for (; next < proof.size(); next++) {
            byte[] c = proof.get(next);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.node(c, fr);
                sr = MerkleHashes.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHashes.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean wellFormed(List<byte[]> proof) {
        if (proof == null || proof.size() > 64) {
            return false;
        }
        for (byte[] hash : proof) {
            if (hash == null || hash.length != MerkleHashes.SIZE) {
                return false;
            }
        }
        return true;
    }
}
