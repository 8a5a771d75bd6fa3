package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.EndpointRules;
import com.hsrcpay.apikeys.query.webhook.model.WebhookEventType;
import com.hsrcpay.apikeys.query.webhook.model.WebhookTypes;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyFold;
import com.hsrcpay.apikeys.shared.event.KeyState;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns key events into webhook deliveries: a streaming processor of its own writing the outbox table
 * ({@code read_model.webhook_delivery}) in the transaction that stores its token, so every change is queued exactly
 * once for every endpoint that wanted it then (the event store stays the source of truth; a redelivered event finds
 * its rows there: unique per endpoint and source). An endpoint hears of changes made after its creation only.
 *
 * <p>One type per change: the events of one command on one key that map to the same type (a patch of name and status
 * is two events) make one delivery, carrying the key after the last of them, whatever the batches: the delivery's
 * source is the change (key, the command's id that Axon puts in every event's {@code correlationId}, type), unique
 * per endpoint, and a batch that ends inside a change reads the rest of it from the store before it commits (a
 * command's events are appended in one transaction, so they are all there).
 *
 * <p>A delivery due at once is written already claimed by this instance and handed to the sender when the batch
 * commits: no claim round trip between a change and its webhook. Should this instance stop first, the claim ends and
 * any instance sends it.
 *
 * <p>{@code api_key.expiring} is a durable deadline in the outbox itself: a pending delivery due 7 days before
 * {@code expires_at} (at once when less is left), replaced when the expiry moves, dropped when the key ends first.
 */
@ProcessingGroup(WebhookOutbox.GROUP)
public class WebhookOutbox {

    public static final String GROUP = "webhook-outbox";
    public static final Duration EXPIRING_NOTICE = Duration.ofDays(7);
    private static final String BATCH = WebhookOutbox.class.getName() + ".batch";
    private static final String COMMAND = "correlationId";

    private final JdbcTemplate jdbc;
    private final EventStore events;
    private final WebhookBodies bodies;
    private final WebhookSender sender;

    public WebhookOutbox(JdbcTemplate jdbc, EventStore events, WebhookBodies bodies, WebhookSender sender) {
        this.jdbc = jdbc;
        this.events = events;
        this.bodies = bodies;
        this.sender = sender;
    }

    @EventHandler
    void on(KeyEvent event, EventMessage<?> message) {
        List<Subscriber> subscribers = subscribers(event);
        if (subscribers.isEmpty()) {
            return;
        }
        Batch batch = batch();
        long sequence = ((DomainEventMessage<?>) message).getSequenceNumber();
        String command = commandOf(message);
        KeyState key = batch.stateAfter(event, sequence, command);
        WebhookTypes.of(event).ifPresent(type -> queue(batch, event, message.getIdentifier(), command, type, key,
                subscribers.stream().filter(s -> EndpointRules.subscribes(s.events(), type)).toList()));
        scheduleExpiring(batch, event, key,
                subscribers.stream().filter(s -> EndpointRules.subscribes(s.events(), WebhookEventType.EXPIRING))
                        .toList());
    }

    private void queue(Batch batch, KeyEvent event, String eventId, String command, WebhookEventType type,
                       KeyState key, List<Subscriber> subscribers) {
        if (subscribers.isEmpty()) {
            return;
        }
        byte[] body = bodies.of(type, event.occurredAt(), key);
        // without a command id (never so for events of the command service) each event is its own change
        String source = command == null ? "event:" + eventId
                : "change:" + event.keyId() + ":" + command + ":" + type.wireName();
        if (batch.changes.containsKey(source)) {
            updateBody(batch, source, body); // a later event of the same change: the one delivery shows the key after it
            return;
        }
        batch.changes.put(source, new Change(event.keyId().value(), command, type));
        for (Subscriber subscriber : subscribers) {
            // a row there already (an earlier batch began this change, or a redelivery) stays the change's one
            insert(batch, subscriber, source, eventId, event, type, body, event.occurredAt());
        }
    }

    private void updateBody(Batch batch, String source, byte[] body) {
        jdbc.update("UPDATE read_model.webhook_delivery SET body = ? WHERE source = ? AND scheduled_attempts = 0"
                + " AND status = 'pending'", body, source);
        batch.ready.replaceAll((id, ready) -> ready.source().equals(source) ? ready.withBody(body) : ready);
    }

    /**
     * Before the batch commits: a change whose command goes on past the batch's last event of the key gets the key
     * after the rest of it, read from the store (the next batch then finds its row and adds none).
     */
    private void completeChanges(Batch batch) {
        batch.changes.forEach((source, change) -> {
            Folded last = batch.keys.get(change.keyId());
            if (change.command() == null || last == null || !change.command().equals(last.command())) {
                return;
            }
            KeyState state = last.state();
            KeyState after = null;
            Instant at = null;
            DomainEventStream rest = events.readEvents(change.keyId().toString(), last.sequence() + 1);
            while (rest.hasNext()) {
                DomainEventMessage<?> next = rest.next();
                if (!change.command().equals(commandOf(next))) {
                    break;
                }
                KeyEvent event = (KeyEvent) next.getPayload();
                state = KeyFold.evolve(state, event);
                if (WebhookTypes.of(event).filter(change.type()::equals).isPresent()) {
                    after = state;
                    at = event.occurredAt();
                }
            }
            if (after != null) {
                updateBody(batch, source, bodies.of(change.type(), at, after));
            }
        });
    }

    private static String commandOf(EventMessage<?> message) {
        Object command = message.getMetaData().get(COMMAND);
        return command == null ? null : command.toString();
    }

    private void scheduleExpiring(Batch batch, KeyEvent event, KeyState key, List<Subscriber> subscribers) {
        String current = key.terminated() || key.expiresAt() == null ? null
                : "expiring:" + key.keyId() + ":" + key.expiresAt();
        // a warning not yet sent for another expiry (or for a key that ended) is no longer true
        jdbc.update("DELETE FROM read_model.webhook_delivery WHERE key_id = ? AND type = ? AND status = 'pending'"
                        + " AND scheduled_attempts = 0 AND NOT retry_requested AND source IS DISTINCT FROM ?::text",
                key.keyId().value(), WebhookEventType.EXPIRING.wireName(), current);
        batch.ready.values().removeIf(ready -> ready.source().startsWith("expiring:" + key.keyId() + ":")
                && !ready.source().equals(current));
        if (current == null || subscribers.isEmpty()) {
            return;
        }
        Instant warnAt = key.expiresAt().minus(EXPIRING_NOTICE);
        Instant due = warnAt.isBefore(event.occurredAt()) ? event.occurredAt() : warnAt;
        byte[] body = bodies.of(WebhookEventType.EXPIRING, due, key);
        for (Subscriber subscriber : subscribers) {
            insert(batch, subscriber, current, null, event, WebhookEventType.EXPIRING, body, due);
            // the warning shows the key as it is when it goes out: a change before then refreshes it
            jdbc.update("UPDATE read_model.webhook_delivery SET body = ? WHERE endpoint_id = ? AND source = ?"
                    + " AND scheduled_attempts = 0 AND status = 'pending'", body, subscriber.endpointId(), current);
            batch.ready.replaceAll((id, ready) -> ready.source().equals(current)
                    && ready.handoff().endpointId().equals(subscriber.endpointId()) ? ready.withBody(body) : ready);
        }
    }

    /** A new delivery (nothing when redelivery finds it there); one due now is claimed for the hand-off. */
    private void insert(Batch batch, Subscriber subscriber, String source, String eventId, KeyEvent event,
                        WebhookEventType type, byte[] body, Instant due) {
        boolean dueNow = !due.isAfter(sender.now());
        UUID id = UUID.randomUUID();
        int inserted = jdbc.update("""
                INSERT INTO read_model.webhook_delivery (id, endpoint_id, source, event_id, key_id, type, body, status,
                    created_at, next_attempt_at, claimed_until)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                ON CONFLICT (endpoint_id, source) DO NOTHING""",
                id, subscriber.endpointId(), source, eventId, event.keyId().value(), type.wireName(), body,
                Timestamp.from(event.occurredAt()), Timestamp.from(due),
                dueNow ? Timestamp.from(sender.claimForHandoff()) : null);
        if (inserted == 1 && dueNow) {
            batch.ready.put(id, new Ready(source,
                    new WebhookSender.Handoff(id, subscriber.endpointId(), subscriber.url(), body)));
        }
    }

    /** The account's enabled endpoints of the event's mode that existed when it happened. */
    private List<Subscriber> subscribers(KeyEvent event) {
        return jdbc.query("""
                SELECT id, url, events FROM read_model.webhook_endpoint
                WHERE account_id = ? AND mode = ? AND status = 'enabled' AND created_at <= ?""", (rs, n) -> {
            Array filter = rs.getArray("events");
            return new Subscriber(rs.getObject("id", UUID.class), rs.getString("url"),
                    Arrays.asList((String[]) filter.getArray()));
        }, event.accountId().value(), event.mode().wireName(), Timestamp.from(event.occurredAt()));
    }

    /** The batch's memory: keys folded so far, the changes queued; its due deliveries go out once it commits. */
    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, name -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> completeChanges(batch));
            unitOfWork.afterCommit(u -> {
                if (!batch.ready.isEmpty()) {
                    sender.sendNow(batch.ready.values().stream().map(Ready::handoff).toList());
                }
                sender.wake();
            });
            return batch;
        });
    }

    private record Subscriber(UUID endpointId, String url, List<String> events) {
    }

    /** A delivery of this batch due at once, with what made it (to find it again when a later event changes it). */
    private record Ready(String source, WebhookSender.Handoff handoff) {

        Ready withBody(byte[] body) {
            return new Ready(source, handoff.withBody(body));
        }
    }

    private final class Batch {

        private final Map<UUID, Ready> ready = new LinkedHashMap<>();
        /** The changes this batch queued, by source. */
        private final Map<String, Change> changes = new LinkedHashMap<>();
        private final Map<UUID, Folded> keys = new HashMap<>();

        /** The key after the event at {@code sequence}: folded on from this batch, else from its stored events. */
        KeyState stateAfter(KeyEvent event, long sequence, String command) {
            Folded known = keys.get(event.keyId().value());
            KeyState state;
            if (known != null && known.sequence() == sequence - 1) {
                state = KeyFold.evolve(known.state(), event);
            } else {
                state = fold(event.keyId().toString(), sequence);
            }
            keys.put(event.keyId().value(), new Folded(sequence, state, command));
            return Objects.requireNonNull(state);
        }

        private KeyState fold(String keyId, long upTo) {
            KeyState state = null;
            DomainEventStream stream = events.readEvents(keyId, 0);
            List<DomainEventMessage<?>> read = new ArrayList<>();
            while (stream.hasNext()) {
                DomainEventMessage<?> next = stream.next();
                if (next.getSequenceNumber() > upTo) {
                    break;
                }
                read.add(next);
            }
            for (DomainEventMessage<?> next : read) {
                state = KeyFold.evolve(state, (KeyEvent) next.getPayload());
            }
            return state;
        }
    }

    /** The key after the batch's last event of it, and that event's command. */
    private record Folded(long sequence, KeyState state, String command) {
    }

    /** A change queued by this batch: the key, the command that made it, the type merchants hear. */
    private record Change(UUID keyId, String command, WebhookEventType type) {
    }
}
