package com.hsrcpay.apikeys.localstack.resilience;

import org.HdrHistogram.Histogram;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Latency percentiles (HdrHistogram, microsecond resolution) and status counts of a set of outcomes. */
record Figures(String label, long count, Map<String, Long> kinds, double p50Millis, double p99Millis,
               double maxMillis) {

    static Figures of(String label, Collection<Outcome> outcomes) {
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        for (Outcome outcome : outcomes) {
            histogram.recordValue(Math.min(histogram.getHighestTrackableValue(),
                    Math.max(1, TimeUnit.NANOSECONDS.toMicros(outcome.latencyNanos()))));
        }
        Map<String, Long> kinds = outcomes.stream()
                .collect(Collectors.groupingBy(Outcome::kind, TreeMap::new, Collectors.counting()));
        boolean empty = outcomes.isEmpty();
        return new Figures(label, outcomes.size(), kinds,
                empty ? 0 : histogram.getValueAtPercentile(50) / 1000.0,
                empty ? 0 : histogram.getValueAtPercentile(99) / 1000.0,
                empty ? 0 : histogram.getMaxValue() / 1000.0);
    }

    static Figures of(String label, Collection<Outcome> outcomes, Predicate<Outcome> which) {
        return of(label, outcomes.stream().filter(which).toList());
    }

    @Override
    public String toString() {
        return String.format("%s: n=%d %s p50=%.1f ms p99=%.1f ms max=%.1f ms", label, count, kinds, p50Millis,
                p99Millis, maxMillis);
    }
}
