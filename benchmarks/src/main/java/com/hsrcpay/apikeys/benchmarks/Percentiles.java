package com.hsrcpay.apikeys.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * Latency samples summarised as percentiles in milliseconds, from an HdrHistogram (3 significant digits, 1 µs to
 * 1 h): what wrk and the services' own timers report, so figures of different harnesses compare.
 */
record Percentiles(Histogram histogram) {

    private static final long MAX_NANOS = 3_600_000_000_000L;

    static Percentiles of(long[] nanos) {
        Histogram histogram = new Histogram(1_000, MAX_NANOS, 3);
        for (long sample : nanos) {
            histogram.recordValue(Math.max(1_000, Math.min(sample, MAX_NANOS)));
        }
        return new Percentiles(histogram);
    }

    long count() {
        return histogram.getTotalCount();
    }

    double millis(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        long nanos = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return nanos / 1_000_000.0;
    }

    String line(String label) {
        return String.format(Locale.ROOT, "%-44s n=%5d  p50=%8.2f ms  p95=%8.2f ms  p99=%8.2f ms  max=%8.2f ms",
                label, count(), millis(50), millis(95), millis(99), millis(100));
    }
}
