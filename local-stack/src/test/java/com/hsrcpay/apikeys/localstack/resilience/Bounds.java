package com.hsrcpay.apikeys.localstack.resilience;

import java.time.Duration;

/**
 * Every bound the resilience suite holds the product to, in one place. The request bounds are what issue 11 asks
 * the product to document; the client and wait bounds only keep the suite itself from hanging when the product
 * stalls (a stall then shows as a measured long request, not as a stuck build).
 */
final class Bounds {

    /** Longest any request may take, answered or refused (503 with Retry-After) under pressure. */
    static final Duration REQUEST = Duration.ofSeconds(2);

    /** N concurrent retries of one idempotent create: all answered within this, whatever N. */
    static final Duration IDEMPOTENT_STORM = Duration.ofSeconds(1);

    /** Readiness must say DOWN within this after the database stops answering. */
    static final Duration READINESS_DOWN = Duration.ofSeconds(2);

    /** Copies of one request in a retry storm, and concurrent writers in the other storms. */
    static final int STORM_SIZE = 100;

    /** Concurrent rotations of one key per round, and rounds. */
    static final int ROTATION_RACERS = 30;
    static final int ROTATION_ROUNDS = 5;

    /** How long the database is suspended while clients keep going. */
    static final Duration DATABASE_PAUSE = Duration.ofSeconds(6);

    /** How long the Kafka broker is down while writes go on. */
    static final Duration BROKER_OUTAGE = Duration.ofSeconds(5);

    /** Requests sent this soon after the stop signal must be refused or answered in full. */
    static final Duration AFTER_STOP_SIGNAL = Duration.ofMillis(150);

    /** The suite's HTTP client gives up after this: longer than every bound above, so a stall is measured. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A stalled product drains within this: at baseline requests wait 30 s for a pooled connection and units of work
     * time out after 60 s, and a 100-way regenerate storm took about 150 s to drain.
     */
    static final Duration DRAIN = Duration.ofSeconds(240);

    /** Propagation waits: read model, Kafka, a replay of a small store. */
    static final Duration PROPAGATION = Duration.ofSeconds(30);

    /** Kafka catching up after an outage or a crash (the publisher's acknowledgement timeout is 30 s by default). */
    static final Duration KAFKA_CATCH_UP = Duration.ofSeconds(90);

    private Bounds() {
    }
}
