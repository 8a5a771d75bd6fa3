package com.hsrcpay.apikeys.transparency.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing tree: one complete subtree per set bit of its size, so appending and the root need
 * O(log n) memory however many leaves came before. Each complete subtree an append finishes is handed to
 * {@link Completed}, which is how a store of {@link PerfectSubtrees} is filled.
 */
public final class CompactRange {

    /** A complete subtree an append finished: 2^level leaves from leaf {@code index * 2^level}. */
    @FunctionalInterface
    public interface Completed {
        void node(int level, long index, byte[] hash);
    }

    private final List<byte[]> hashes = new ArrayList<>(); // left to right, largest subtree first
    private final List<Integer> levels = new ArrayList<>();
    private long size;

    /** The range of an empty tree. */
    public CompactRange() {
    }

    /** The range of an existing tree of {@code size} leaves, read from its complete subtrees. */
    public static CompactRange of(long size, PerfectSubtrees subtrees) {
        CompactRange range = new CompactRange();
        long offset = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                range.hashes.add(subtrees.hash(level, offset >>> level));
                range.levels.add(level);
                offset += 1L << level;
            }
        }
        range.size = size;
        return range;
    }

    public long size() {
        return size;
    }

    /** Appends one leaf hash; {@code completed} hears of the leaf itself and of every subtree it completes. */
    public void append(byte[] leafHash, Completed completed) {
        long index = size;
        completed.node(0, index, leafHash);
        hashes.add(leafHash);
        levels.add(0);
        size++;
        int last = hashes.size() - 1;
        while (last > 0 && levels.get(last).equals(levels.get(last - 1))) {
            int level = levels.get(last) + 1;
            byte[] parent = MerkleHashes.node(hashes.get(last - 1), hashes.get(last));
            hashes.remove(last);
            levels.remove(last);
            hashes.set(last - 1, parent);
            levels.set(last - 1, level);
            completed.node(level, index >>> level, parent);
            last--;
        }
    }

    public void append(byte[] leafHash) {
        append(leafHash, (level, index, hash) -> { });
    }

    /** MTH of the leaves so far. */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return MerkleHashes.empty();
        }
        byte[] root = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            root = MerkleHashes.node(hashes.get(i), root);
        }
        return root;
    }
}
