package com.hsrcpay.apikeys.query.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock moved by an offset a test sets, or stopped at an instant: hours of retry schedule pass in a moment,
 * and a stopped clock lets no retry fall due while the test looks.
 */
final class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<Instant> frozen = new AtomicReference<>();

    /** Stops the clock at {@code at}; {@link #advance} then moves it from there. */
    void freezeAt(Instant at) {
        offset.set(Duration.ZERO);
        frozen.set(at);
    }

    void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    void reset() {
        frozen.set(null);
        offset.set(Duration.ZERO);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        Instant stopped = frozen.get();
        return (stopped == null ? Instant.now() : stopped).plus(offset.get());
    }
}
