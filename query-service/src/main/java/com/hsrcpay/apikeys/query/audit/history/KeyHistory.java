package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A key's history and its point-in-time state, read from the event store itself (not the projection), so they are
 * as complete and as old as the store. A key of another account or mode is indistinguishable from a missing one.
 * Read through Axon's {@link EventStore}, so the same in both event store modes (PostgreSQL or Axon Server).
 */
public class KeyHistory {

    private final EventStore store;

    public KeyHistory(EventStore store) {
        this.store = store;
    }

    /** Every event of the key in sequence order with what it changed; empty when the caller may not see the key. */
    public Optional<List<HistoryEntry>> history(AccountId account, Mode mode, KeyId keyId) {
        List<DomainEventMessage<?>> events = events(account, mode, keyId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        KeyTimeline timeline = new KeyTimeline();
        List<HistoryEntry> entries = new ArrayList<>(events.size());
        for (DomainEventMessage<?> message : events) {
            KeyEvent event = (KeyEvent) message.getPayload();
            entries.add(new HistoryEntry(message.getSequenceNumber(), event.getClass().getSimpleName(),
                    event.occurredAt(), event.actor(), event.requestId(), timeline.apply(event)));
        }
        return Optional.of(entries);
    }

    /** The key as it was at {@code instant} (events with occurredAt at or before it); empty before it existed. */
    public Optional<ApiKeyObject> asOf(AccountId account, Mode mode, KeyId keyId, Instant instant) {
        KeyTimeline timeline = new KeyTimeline();
        for (DomainEventMessage<?> message : events(account, mode, keyId)) {
            KeyEvent event = (KeyEvent) message.getPayload();
            if (event.occurredAt().isAfter(instant)) {
                break;
            }
            timeline.apply(event);
        }
        return timeline.exists() ? Optional.of(timeline.object()) : Optional.empty();
    }

    /** The key's events, or none when it does not exist or belongs to another account or mode. */
    private List<DomainEventMessage<?>> events(AccountId account, Mode mode, KeyId keyId) {
        // from sequence 0: every event, never a snapshot in their place
        DomainEventStream stream = store.readEvents(keyId.toString(), 0);
        List<DomainEventMessage<?>> events = new ArrayList<>();
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (!(message.getPayload() instanceof KeyEvent event)) {
                continue;
            }
            if (events.isEmpty() && (!event.accountId().equals(account) || event.mode() != mode)) {
                return List.of();
            }
            events.add(message);
        }
        return events;
    }
}
