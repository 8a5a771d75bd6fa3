package com.hsrcpay.apikeys.eventstore;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The reads of the store since one append signal, by the position they start from: the first stream to ask for a
 * position reads, the others at that position wait for its answer instead of reading again. A new signal starts a
 * new instance, so no stream is handed a read that began before an append it was woken for. A failed read is
 * forgotten (the next stream reads again) and fails every stream that waited for it, as their own read would have.
 */
final class SharedReads {

    /**
     * Processors catching up read one batch after another without any signal in between; only the newest positions
     * are worth keeping (at most this many batches of {@link ListeningEventSource#FETCH_LIMIT} events in memory).
     */
    static final int KEPT = 16;

    private final Function<TrackingToken, List<TrackedEventMessage<?>>> store;
    private final Map<Start, CompletableFuture<List<TrackedEventMessage<?>>>> byStart =
            new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Start, CompletableFuture<List<TrackedEventMessage<?>>>> eldest) {
                    return size() > KEPT;
                }
            };

    SharedReads(Function<TrackingToken, List<TrackedEventMessage<?>>> store) {
        this.store = store;
    }

    /** The events after {@code from} (null: from the first), read by this call or by another at the same position. */
    List<TrackedEventMessage<?>> from(TrackingToken from) throws InterruptedException {
        Start start = new Start(from);
        CompletableFuture<List<TrackedEventMessage<?>>> mine = new CompletableFuture<>();
        CompletableFuture<List<TrackedEventMessage<?>>> shared;
        synchronized (byStart) {
            shared = byStart.putIfAbsent(start, mine);
        }
        if (shared == null) {
            try {
                List<TrackedEventMessage<?>> events = store.apply(from);
                mine.complete(events);
                return events;
            } catch (RuntimeException | Error failure) {
                synchronized (byStart) {
                    byStart.remove(start, mine);
                }
                mine.completeExceptionally(failure);
                throw failure;
            }
        }
        try {
            return shared.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    /** A position as a map key: tokens compare by value, and the very start has none. */
    private record Start(TrackingToken token) {
    }
}
