package com.hsrcpay.apikeys.query.webhook.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender's meters: attempts by outcome, their latency, and the outbox's backlog. Tags are the outcome only: no
 * endpoint, account, key or URL (unbounded series, and a URL may carry a merchant's token).
 */
public final class DeliveryMetrics {

    public static final String DELIVERIES = "kms.webhook.deliveries";
    public static final String LATENCY = "kms.webhook.delivery.latency";
    public static final String BACKLOG = "kms.webhook.outbox.backlog";

    /** What one attempt came to; exactly one per attempt. */
    public enum Outcome {
        /** a 2xx */
        SUCCEEDED,
        /** anything else that leaves the delivery to a later attempt (or a failed manual retry) */
        FAILED_ATTEMPT,
        /** the last attempt of the schedule failed: the delivery is {@code failed} */
        GIVEN_UP,
        /** {@code 410 Gone}: the delivery failed and the endpoint is disabled */
        DISABLED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Outcome, Counter> deliveries = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> latency = new EnumMap<>(Outcome.class);
    private final AtomicLong backlog = new AtomicLong();

    public DeliveryMetrics(MeterRegistry meters) {
        for (Outcome outcome : Outcome.values()) {
            deliveries.put(outcome, Counter.builder(DELIVERIES)
                    .description("Webhook delivery attempts by outcome (succeeded, failed_attempt, given_up, disabled)")
                    .tag("outcome", outcome.tag())
                    .register(meters));
            latency.put(outcome, Timer.builder(LATENCY)
                    .description("Webhook delivery attempt latency, from the lookup of the host to the response "
                            + "headers (or the failure)")
                    .tag("outcome", outcome.tag())
                    .publishPercentileHistogram()
                    .register(meters));
        }
        Gauge.builder(BACKLOG, backlog, AtomicLong::get)
                .description("Webhook deliveries due now (pending, next attempt reached, or a manual retry asked) "
                        + "on enabled endpoints, in flight included")
                .register(meters);
    }

    void attempted(Outcome outcome, long latencyMs) {
        deliveries.get(outcome).increment();
        latency.get(outcome).record(Duration.ofMillis(latencyMs));
    }

    void backlog(long due) {
        backlog.set(due);
    }
}
