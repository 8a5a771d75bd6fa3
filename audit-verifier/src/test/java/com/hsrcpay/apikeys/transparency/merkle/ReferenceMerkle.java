package com.hsrcpay.apikeys.transparency.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 section 2.1 written out literally over a list of leaf hashes, and proof checks that rebuild the roots
 * recursively: an implementation independent of the production classes (shares no code with them, not even the
 * hashing), against which their proofs are checked.
 */
public final class ReferenceMerkle {

    private ReferenceMerkle() {
    }

    static byte[] sha256(int prefix, byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (prefix >= 0) {
                sha.update((byte) prefix);
            }
            for (byte[] part : parts) {
                sha.update(part);
            }
            return sha.digest();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] leafHash(byte[] data) {
        return sha256(0, data);
    }

    static int k(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    /** MTH(D[n]). */
    public static byte[] mth(List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return sha256(-1);
        }
        if (n == 1) {
            return leaves.get(0);
        }
        int k = k(n);
        return sha256(1, mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    public static List<byte[]> path(int m, List<byte[]> leaves) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, leaves.subList(0, k)));
            out.add(mth(leaves.subList(k, n)));
        } else {
            out.addAll(path(m - k, leaves.subList(k, n)));
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]). */
    public static List<byte[]> proof(int m, List<byte[]> leaves) {
        return subproof(m, leaves, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(leaves));
            }
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, leaves.subList(0, k), b));
            out.add(mth(leaves.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, leaves.subList(k, n), false));
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }

    /** The root an audit path leads to, rebuilt top-down (the path's last hash is the top sibling); null if malformed. */
    static byte[] rootFromPath(int m, int n, byte[] leaf, List<byte[]> path) {
        if (n == 1) {
            return path.isEmpty() ? leaf : null;
        }
        if (path.isEmpty()) {
            return null;
        }
        int k = k(n);
        byte[] top = path.get(path.size() - 1);
        List<byte[]> rest = path.subList(0, path.size() - 1);
        if (m < k) {
            byte[] left = rootFromPath(m, k, leaf, rest);
            return left == null ? null : sha256(1, left, top);
        }
        byte[] right = rootFromPath(m - k, n - k, leaf, rest);
        return right == null ? null : sha256(1, top, right);
    }

    /** Both roots a consistency proof leads to, {old, new}, rebuilt top-down; null if malformed. */
    static byte[][] rootsFromConsistency(int m, int n, byte[] oldRoot, List<byte[]> proof) {
        byte[][] roots = rebuild(m, n, oldRoot, proof, true);
        return roots;
    }

    private static byte[][] rebuild(int m, int n, byte[] oldRoot, List<byte[]> proof, boolean whole) {
        if (m == n) {
            if (whole) {
                return proof.isEmpty() ? new byte[][] {oldRoot, oldRoot} : null;
            }
            return proof.size() == 1 ? new byte[][] {proof.get(0), proof.get(0)} : null;
        }
        if (proof.isEmpty()) {
            return null;
        }
        int k = k(n);
        byte[] top = proof.get(proof.size() - 1);
        List<byte[]> rest = proof.subList(0, proof.size() - 1);
        if (m <= k) {
            byte[][] left = rebuild(m, k, oldRoot, rest, whole);
            return left == null ? null : new byte[][] {left[0], sha256(1, left[1], top)};
        }
        byte[][] right = rebuild(m - k, n - k, oldRoot, rest, false);
        return right == null ? null : new byte[][] {sha256(1, top, right[0]), sha256(1, top, right[1])};
    }
}
