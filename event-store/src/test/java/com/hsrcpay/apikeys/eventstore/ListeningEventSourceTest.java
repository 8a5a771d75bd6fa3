package com.hsrcpay.apikeys.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The processors' source: streams at one position share one read of the store, and never a stale one. */
class ListeningEventSourceTest {

    private final CountingStore store = new CountingStore();
    private final ListeningEventSource source = new ListeningEventSource(store);
    private int sequence;

    @Test
    void streamsAtOnePositionShareOneReadOfTheStore() throws Exception {
        List<BlockingStream<TrackedEventMessage<?>>> streams = openStreams(5);
        append(3);
        source.eventsAppended();

        for (BlockingStream<TrackedEventMessage<?>> stream : streams) {
            assertThat(payloads(stream, 3)).containsExactly("event-0", "event-1", "event-2");
        }
        assertThat(store.reads.get()).as("one read for five streams").isEqualTo(1);
    }

    @Test
    void streamsThatAskWhileTheReadRunsWaitForItsAnswer() throws Exception {
        List<BlockingStream<TrackedEventMessage<?>>> streams = openStreams(4);
        append(2);
        store.stall = new CountDownLatch(1);
        source.eventsAppended();
        List<FutureTask<List<String>>> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (BlockingStream<TrackedEventMessage<?>> stream : streams) {
            FutureTask<List<String>> answer = new FutureTask<>(() -> payloads(stream, 2));
            answers.add(answer);
            Thread thread = new Thread(answer, "stream-" + threads.size());
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        try {
            assertThat(store.entered.await(5, TimeUnit.SECONDS)).as("a read began").isTrue();
            // every stream has asked: one reads (stalled), the others wait for its answer (or, wrongly, read again)
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.stream().allMatch(thread ->
                    thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING));
            store.stall.countDown();
            for (FutureTask<List<String>> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).containsExactly("event-0", "event-1");
            }
        } finally {
            store.stall.countDown();
            threads.forEach(Thread::interrupt);
        }
        assertThat(store.reads.get()).isEqualTo(1);
    }

    @Test
    void aStreamWokenByALaterAppendIsNeverHandedTheEarlierRead() throws Exception {
        BlockingStream<TrackedEventMessage<?>> early = source.openStream(null);
        BlockingStream<TrackedEventMessage<?>> late = source.openStream(null);
        append(1);
        source.eventsAppended();
        assertThat(payloads(early, 1)).containsExactly("event-0");

        append(1);
        source.eventsAppended();
        // the late stream is still at the start, where the earlier read began: it must see the new event as well
        assertThat(payloads(late, 2)).containsExactly("event-0", "event-1");
        assertThat(payloads(early, 1)).containsExactly("event-1");
        assertThat(store.reads.get()).as("one read per append and position").isEqualTo(3);
    }

    @Test
    void aFailedReadFailsItsStreamAndTheNextStreamReadsAgain() throws Exception {
        List<BlockingStream<TrackedEventMessage<?>>> streams = openStreams(2);
        append(1);
        store.failures.set(1);
        source.eventsAppended();

        assertThatThrownBy(() -> streams.get(0).hasNextAvailable(1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class).hasMessage("the database is away");
        assertThat(payloads(streams.get(1), 1)).containsExactly("event-0");
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void aCatchingUpStreamIsNotHeldInMemoryBeyondTheNewestPositions() throws Exception {
        BlockingStream<TrackedEventMessage<?>> reader = source.openStream(null);
        append(ListeningEventSource.FETCH_LIMIT * (SharedReads.KEPT + 2));
        source.eventsAppended();
        for (int i = 0; i < ListeningEventSource.FETCH_LIMIT * (SharedReads.KEPT + 2); i++) {
            assertThat(reader.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
            reader.nextAvailable();
        }
        // a stream from the very start comes after KEPT later batches: its first batch was dropped, so it reads again
        BlockingStream<TrackedEventMessage<?>> behind = source.openStream(null);
        int before = store.reads.get();
        assertThat(behind.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(behind.nextAvailable().getPayload()).isEqualTo("event-0");
        assertThat(store.reads.get()).isEqualTo(before + 1);
    }

    private List<BlockingStream<TrackedEventMessage<?>>> openStreams(int count) {
        List<BlockingStream<TrackedEventMessage<?>>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(source.openStream(null));
        }
        return streams;
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            store.appendEvents(new GenericDomainEventMessage<>("Key", "key-1", sequence, "event-" + sequence));
            sequence++;
        }
    }

    private static List<String> payloads(BlockingStream<TrackedEventMessage<?>> stream, int count)
            throws InterruptedException {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d available", i).isTrue();
            payloads.add((String) stream.nextAvailable().getPayload());
        }
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).as("nothing more").isFalse();
        return payloads;
    }

    /** Axon's in-memory engine, counting the reads the source makes, able to stall or fail one. */
    private static final class CountingStore extends InMemoryEventStorageEngine {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch stall;

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            reads.incrementAndGet();
            entered.countDown();
            if (failures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("the database is away");
            }
            CountDownLatch waitFor = stall;
            if (waitFor != null) {
                try {
                    waitFor.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.readEvents(trackingToken, mayBlock);
        }
    }
}
