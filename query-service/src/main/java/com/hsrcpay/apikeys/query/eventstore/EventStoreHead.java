package com.hsrcpay.apikeys.query.eventstore;

import java.time.Instant;
import java.util.Optional;

/**
 * The newest position of the event store, comparable with the positions of the processors' tracking tokens: what
 * lag metrics and replay progress measure against. One implementation per event store mode.
 */
public interface EventStoreHead {

    /** Position of the newest event; 0 or less when the store holds none. */
    long position();

    /**
     * Time of the first event after {@code position}: empty when there is none (caught up).
     *
     * @throws UnsupportedOperationException when this store cannot tell cheaply ({@link #knowsEventTimes()} false)
     */
    Optional<Instant> timeOfEventAfter(long position);

    /** Whether {@link #timeOfEventAfter(long)} is answered. */
    boolean knowsEventTimes();
}
