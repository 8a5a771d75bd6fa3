package com.hsrcpay.apikeys.transparency.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 6962 / RFC 9162 hashing with SHA-256: leaf = H(0x00 || data), node = H(0x01 || left || right). */
public final class MerkleHashes {

    public static final int SIZE = 32;

    private MerkleHashes() {
    }

    public static byte[] leaf(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(data);
        return sha.digest();
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /**
     * {@link #node(byte[], byte[])} with a digest the caller reuses (one per thread; each digest() leaves it reset),
     * fed in one call: a long audit hashes millions of nodes, and each call into the digest costs.
     */
    public static byte[] node(MessageDigest sha, byte[] left, byte[] right) {
        byte[] input = new byte[1 + 2 * SIZE];
        input[0] = 0x01;
        System.arraycopy(left, 0, input, 1, SIZE);
        System.arraycopy(right, 0, input, 1 + SIZE, SIZE);
        return sha.digest(input);
    }

    /** {@link #leaf(byte[])} with a digest the caller reuses, fed in one call. */
    public static byte[] leaf(MessageDigest sha, byte[] data) {
        byte[] input = new byte[1 + data.length];
        System.arraycopy(data, 0, input, 1, data.length);
        return sha.digest(input);
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] empty() {
        return sha256().digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
