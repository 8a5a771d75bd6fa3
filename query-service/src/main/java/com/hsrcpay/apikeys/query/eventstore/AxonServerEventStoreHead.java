package com.hsrcpay.apikeys.query.eventstore;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.Optional;

/**
 * The head of Axon Server's event store: its last token (the global index of the newest event, counted from 0;
 * Axon answers no head token for an empty store, reported as -1).
 */
public class AxonServerEventStoreHead implements EventStoreHead {

    private final EventStore eventStore;

    public AxonServerEventStoreHead(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public long position() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    @Override
    public Optional<Instant> timeOfEventAfter(long position) {
        throw new UnsupportedOperationException("event times are not read from Axon Server");
    }

    @Override
    public boolean knowsEventTimes() {
        return false;
    }
}
