package com.hsrcpay.apikeys.transparency.merkle;

/**
 * Where a tree keeps its complete subtrees: {@code hash(level, index)} is the root of the 2^level leaves starting at
 * leaf {@code index * 2^level} (level 0: the leaf hashes). Every root and proof is computed from these alone, with
 * O(log n) reads each.
 */
@FunctionalInterface
public interface PerfectSubtrees {

    byte[] hash(int level, long index);
}
