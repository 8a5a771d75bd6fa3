package com.hsrcpay.apikeys.transparency.verifier;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: the export's scans test whole words for the bytes that matter (a line end, a byte a plain
 * JSON string cannot hold as it is), with the classic bit tricks, and look at single bytes only where a word has one.
 */
final class Words {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Words() {
    }

    static long at(byte[] bytes, int index) {
        return (long) LONGS.get(bytes, index);
    }

    /** Whether a byte of {@code word} is zero (exact as a yes or no, whatever the other bytes). */
    static boolean hasZero(long word) {
        return ((word - ONES) & ~word & HIGHS) != 0;
    }

    /** Whether a byte of {@code word} is below {@code n} (at most 128; exact as a yes or no). */
    static boolean hasBelow(long word, int n) {
        return ((word - ONES * n) & ~word & HIGHS) != 0;
    }

    /** Whether a byte of {@code word} equals {@code b}. */
    static boolean has(long word, byte b) {
        return hasZero(word ^ (ONES * (b & 0xFF)));
    }

    /**
     * Whether the eight bytes can stand in a JSON string as they are: ASCII from 0x20, no quote, no backslash.
     */
    static boolean plain(long word) {
        return (word & HIGHS) == 0 && !hasBelow(word, 0x20) && !has(word, (byte) '"')
                && !has(word, (byte) '\\');
    }

    static boolean plain(byte b) {
        return b >= 0x20 && b != '"' && b != '\\';
    }
}
