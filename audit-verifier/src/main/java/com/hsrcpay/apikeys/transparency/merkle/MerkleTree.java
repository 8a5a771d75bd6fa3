package com.hsrcpay.apikeys.transparency.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots, inclusion proofs (RFC 9162 section 2.1.3.1) and consistency proofs (section 2.1.4.1) of a tree whose
 * complete subtrees are read from {@link PerfectSubtrees}: the recursive definitions of RFC 6962 section 2.1,
 * where each range that is a complete, aligned subtree is one read instead of a recursion.
 */
public final class MerkleTree {

    private final PerfectSubtrees subtrees;

    public MerkleTree(PerfectSubtrees subtrees) {
        this.subtrees = subtrees;
    }

    /** MTH(D[0:size]). */
    public byte[] root(long size) {
        requireSize(size);
        return size == 0 ? MerkleHashes.empty() : hash(0, size);
    }

    /** PATH(leafIndex, D[0:size]): the audit path, from the leaf's sibling up. */
    public List<byte[]> inclusionProof(long leafIndex, long size) {
        requireSize(size);
        if (leafIndex < 0 || leafIndex >= size) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(leafIndex, 0, size, proof);
        return proof;
    }

    /** PROOF(first, D[0:second]), first at least 1; empty when first equals second. */
    public List<byte[]> consistencyProof(long first, long second) {
        if (first < 1) {
            throw new IllegalArgumentException("a consistency proof starts from a tree of at least one leaf");
        }
        if (first > second) {
            throw new IllegalArgumentException("first " + first + " is beyond second " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    /** MTH of leaves [start, end), end > start, start aligned as in every call the RFC's recursion makes. */
    byte[] hash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return subtrees.hash(level, start >>> level);
        }
        long k = splitPoint(n);
        return MerkleHashes.node(hash(start, start + k), hash(start + k, end));
    }

    private void path(long m, long start, long end, List<byte[]> proof) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = splitPoint(n);
        if (m < k) {
            path(m, start, start + k, proof);
            proof.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, proof);
            proof.add(hash(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean whole, List<byte[]> proof) {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                proof.add(hash(start, end));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, proof);
            proof.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, proof);
            proof.add(hash(start, start + k));
        }
    }

    /** The largest power of two smaller than n (n > 1). */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void requireSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a tree size is never negative: " + size);
        }
    }
}
