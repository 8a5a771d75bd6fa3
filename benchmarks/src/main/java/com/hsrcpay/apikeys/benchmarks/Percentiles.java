package com.hsrcpay.apikeys.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, summarised as percentiles in milliseconds. */
record Percentiles(long[] sortedNanos) {

    static Percentiles of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    double millis(double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1_000_000.0;
    }

    String line(String label) {
        return String.format(Locale.ROOT, "%-44s n=%5d  p50=%8.2f ms  p95=%8.2f ms  p99=%8.2f ms  max=%8.2f ms",
                label, sortedNanos.length, millis(50), millis(95), millis(99), millis(100));
    }
}
