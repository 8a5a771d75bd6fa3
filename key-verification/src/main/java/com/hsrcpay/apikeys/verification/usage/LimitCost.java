package com.hsrcpay.apikeys.verification.usage;

/** What one verification costs against one named rate limit of its key (0..{@value #MAX}; 0 is free). */
public record LimitCost(String name, long cost) {

    public static final long MAX = 1_000;

    public LimitCost {
        if (name == null) {
            throw new IllegalArgumentException("a rate limit cost names its limit");
        }
        requireCost(cost);
    }

    static void requireCost(long cost) {
        if (cost < 0 || cost > MAX) {
            throw new IllegalArgumentException("cost must be between 0 and " + MAX);
        }
    }
}
