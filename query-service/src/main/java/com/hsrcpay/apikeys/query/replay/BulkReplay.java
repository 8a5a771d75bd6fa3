package com.hsrcpay.apikeys.query.replay;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The fast path of a projection's replay from zero, after its tokens were reset (its tables truncated) and before its
 * processor starts again: the stored events up to the replay's head are read in order and handed to the projection
 * in chunks of {@code chunkEvents}, each projected as one batch by the projection's own rules (a key touched
 * many times in a chunk is loaded and written once), without Axon's per-event pipeline. In the same transaction,
 * every segment's token is claimed first (a segment another instance holds fails the bulk) and set to the last
 * event's position at the end, so the rows and the tokens commit together: the processor resumes exactly after
 * that event. A bulk that fails leaves nothing behind: the reset tokens stand, and the processor replays the usual
 * way, event by event.
 */
public final class BulkReplay {

    private final String processorName;
    private final Consumer<List<? extends EventMessage<?>>> projection;
    private final EventStorageEngine storage;
    private final TokenStore tokens;
    private final TransactionTemplate transaction;
    private final int chunkEvents;
    private final Runnable committed;

    /** {@code committed} runs once the rows and tokens are committed (readers waiting for a version are told). */
    public BulkReplay(String processorName, Consumer<List<? extends EventMessage<?>>> projection,
                      EventStorageEngine storage, TokenStore tokens, TransactionTemplate transaction,
                      int chunkEvents, Runnable committed) {
        this.processorName = processorName;
        this.projection = projection;
        this.storage = storage;
        this.tokens = tokens;
        this.transaction = transaction;
        this.chunkEvents = chunkEvents;
        this.committed = committed;
    }

    /**
     * Projects every stored event up to {@code head} (inclusive), telling {@code progress} the position of each chunk
     * projected; answers the token every segment now holds (null when the store held no event up to the head).
     */
    TrackingToken rebuild(long head, LongConsumer progress) {
        TrackingToken token = transaction.execute(status -> {
            int[] segments = tokens.fetchSegments(processorName);
            for (int segment : segments) {
                // claimed (row locked) until this transaction ends: no other instance starts on a segment meanwhile
                tokens.fetchToken(processorName, segment);
            }
            TrackingToken last = null;
            List<TrackedEventMessage<?>> chunk = new ArrayList<>(chunkEvents);
            try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
                Iterator<? extends TrackedEventMessage<?>> stored = events.iterator();
                while (stored.hasNext()) {
                    TrackedEventMessage<?> event = stored.next();
                    if (event.trackingToken().position().orElse(Long.MAX_VALUE) > head) {
                        break; // the processor takes it from here
                    }
                    chunk.add(event);
                    last = event.trackingToken();
                    if (chunk.size() == chunkEvents) {
                        projection.accept(chunk);
                        chunk.clear();
                        progress.accept(last.position().orElse(0));
                    }
                }
            }
            projection.accept(chunk);
            if (last != null) {
                for (int segment : segments) {
                    tokens.storeToken(last, processorName, segment);
                }
                progress.accept(last.position().orElse(0));
            }
            return last;
        });
        committed.run();
        return token;
    }
}
