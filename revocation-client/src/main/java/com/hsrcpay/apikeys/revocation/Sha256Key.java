package com.hsrcpay.apikeys.revocation;

import java.util.Arrays;

/**
 * A SHA-256 value as four longs: 48 bytes per revoked secret instead of a 64-character hex string, and a
 * lookup key that a thread can refill and reuse, so {@link RevocationList#isRevoked(String)} allocates nothing.
 * Instances stored in the set are never changed after insertion; only the per-thread probes are.
 */
final class Sha256Key {

    static final int BYTES = 32;
    static final int HEX_LENGTH = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The value of an ASCII hex digit of either case, -1 for any other ASCII character. */
    private static final byte[] HEX_VALUES = new byte[128];

    static {
        Arrays.fill(HEX_VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX_VALUES[HEX[i]] = (byte) i;
            HEX_VALUES[Character.toUpperCase(HEX[i])] = (byte) i;
        }
    }

    private long w0;
    private long w1;
    private long w2;
    private long w3;

    Sha256Key() {
    }

    /** A key parsed from 64 hex digits (either case), or null if {@code hex} is not that. */
    static Sha256Key parseHex(String hex) {
        Sha256Key key = new Sha256Key();
        return key.setHex(hex) ? key : null;
    }

    /** Refills this key from 64 hex digits (either case); false, leaving it unchanged, for anything else. */
    boolean setHex(String hex) {
        if (hex == null || hex.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = hex.charAt(i);
            if (c >= HEX_VALUES.length || HEX_VALUES[c] < 0) {
                return false;
            }
        }
        w0 = hexWord(hex, 0);
        w1 = hexWord(hex, 16);
        w2 = hexWord(hex, 32);
        w3 = hexWord(hex, 48);
        return true;
    }

    /** Refills this key from 32 digest bytes. */
    void setBytes(byte[] digest) {
        w0 = word(digest, 0);
        w1 = word(digest, 8);
        w2 = word(digest, 16);
        w3 = word(digest, 24);
    }

    String toHex() {
        char[] out = new char[HEX_LENGTH];
        long[] words = {w0, w1, w2, w3};
        int pos = 0;
        for (long word : words) {
            for (int shift = 60; shift >= 0; shift -= 4) {
                out[pos++] = HEX[(int) (word >>> shift) & 0xf];
            }
        }
        return new String(out);
    }

    /** 16 hex digits already checked by {@link #setHex}. */
    private static long hexWord(String hex, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 16; i++) {
            value = (value << 4) | HEX_VALUES[hex.charAt(i)];
        }
        return value;
    }

    private static long word(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xffL);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sha256Key k && w0 == k.w0 && w1 == k.w1 && w2 == k.w2 && w3 == k.w3;
    }

    @Override
    public int hashCode() {
        // the words of a SHA-256 are uniformly distributed already
        return (int) (w0 ^ (w0 >>> 32));
    }

    @Override
    public String toString() {
        return toHex();
    }
}
