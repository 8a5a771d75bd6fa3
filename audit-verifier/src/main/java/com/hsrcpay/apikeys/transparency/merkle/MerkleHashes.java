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

    /** {@link #node(byte[], byte[])} with a digest the caller reuses (one per thread; each digest() leaves it reset). */
    public static byte[] node(MessageDigest sha, byte[] left, byte[] right) {
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** {@link #leaf(byte[])} with a digest the caller reuses (one per thread; each digest() leaves it reset). */
    public static byte[] leaf(MessageDigest sha, byte[] data) {
        sha.update((byte) 0x00);
        sha.update(data);
        return sha.digest();
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
