package com.hsrcpay.apikeys.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The event source of the query side's streaming processors. It reads the store only when told that
 * something was appended ({@link #eventsAppended()}, driven by PostgreSQL NOTIFY, with a slow timer as the
 * fallback) and then tells the processor at once through the stream's availability callback. Axon's embedded
 * store offers no such callback, so its processors poll every 500 ms and its reader every second: this is
 * what turns a revocation's journey from hundreds of milliseconds into a few.
 *
 * <p>Every processor has a stream of its own, and at rest all of them stand at the same position when an append
 * wakes them. They share one read of the store ({@link SharedReads}) instead of each running the same query and
 * decoding the same rows: on two cores, five reads at once were what a revocation waited behind.
 */
public class ListeningEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    static final int FETCH_LIMIT = 1000;

    private final EventStorageEngine storage;
    private final Set<ListeningStream> streams = ConcurrentHashMap.newKeySet();
    private volatile SharedReads reads;

    public ListeningEventSource(EventStorageEngine storage) {
        this.storage = storage;
        this.reads = new SharedReads(this::readFromStore);
    }

    /** Something was appended (by any process): open streams fetch once and wake their processors. */
    public void eventsAppended() {
        // before the signals: a stream woken by this append never joins a read that began before the append was seen
        reads = new SharedReads(this::readFromStore);
        streams.forEach(ListeningStream::signal);
    }

    private List<TrackedEventMessage<?>> readFromStore(TrackingToken from) {
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(from, false)) {
            return List.copyOf(events.limit(FETCH_LIMIT).toList());
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        ListeningStream stream = new ListeningStream(trackingToken);
        streams.add(stream);
        return stream;
    }

    @Override
    public TrackingToken createTailToken() {
        return storage.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return storage.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return storage.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return storage.createTokenAt(Instant.now().minus(duration));
    }

    /** One processor's stream: a buffer refilled from the store only after a signal. Used by one thread. */
    private final class ListeningStream implements BlockingStream<TrackedEventMessage<?>> {

        private final Deque<TrackedEventMessage<?>> buffer = new ArrayDeque<>();
        private final Object signals = new Object();
        private TrackingToken fetchedUpTo;
        private volatile boolean appendedSinceFetch = true;
        private volatile Runnable onAvailable;

        ListeningStream(TrackingToken from) {
            this.fetchedUpTo = from;
        }

        void signal() {
            synchronized (signals) {
                appendedSinceFetch = true;
                signals.notifyAll();
            }
            Runnable callback = onAvailable;
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            fetchIfSignalled();
            return Optional.ofNullable(buffer.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                fetchIfSignalled();
                if (!buffer.isEmpty()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                synchronized (signals) {
                    if (!appendedSinceFetch) {
                        try {
                            signals.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                }
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            return buffer.poll();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.onAvailable = callback;
            return true;
        }

        @Override
        public void close() {
            streams.remove(this);
            buffer.clear();
        }

        private void fetchIfSignalled() {
            if (!buffer.isEmpty() || !appendedSinceFetch) {
                return;
            }
            appendedSinceFetch = false; // before taking the reads: a signal from now on means fetch again
            List<TrackedEventMessage<?>> fetched;
            try {
                fetched = reads.from(fetchedUpTo);
            } catch (InterruptedException e) {
                appendedSinceFetch = true;
                Thread.currentThread().interrupt();
                return;
            }
            buffer.addAll(fetched);
            if (!fetched.isEmpty()) {
                fetchedUpTo = fetched.get(fetched.size() - 1).trackingToken();
            }
            if (fetched.size() == FETCH_LIMIT) {
                appendedSinceFetch = true; // more is waiting: fetch again once this batch is consumed
            }
        }    }
}
