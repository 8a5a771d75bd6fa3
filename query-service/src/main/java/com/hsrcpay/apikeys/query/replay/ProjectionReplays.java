package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import com.hsrcpay.apikeys.query.revocation.RevocationListProjection;
import io.swagger.v3.oas.annotations.media.Schema;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds a projection from the event store on an operator's request and reports how far it is: shut the
 * projection's streaming processor down, reset its tokens (its {@code @ResetHandler} truncates its tables), start it
 * again. A projection with a {@link BulkReplay} is first rebuilt up to the head on that path, on a thread of its own,
 * and its processor started once the bulk committed (or failed: it then replays event by event from zero). While a
 * replay runs, its progress is logged every {@code logInterval}; {@link #replaying(String)} is the single answer to
 * "may the tables of this projection be read now?".
 */
public class ProjectionReplays implements AutoCloseable {

    public static final Set<String> REPLAYABLE = Set.of(KeyListProjection.GROUP, RevocationListProjection.GROUP);
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);

    private final EventProcessingConfiguration processing;
    private final EventStoreHead eventStoreHead;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, BulkReplay> bulks;
    /** The position each running bulk has projected up to (its processor is not running meanwhile). */
    private final Map<String, AtomicLong> bulking = new ConcurrentHashMap<>();
    private final ExecutorService bulkRunner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "projection-replay-bulk");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;
    private final ScheduledExecutorService logger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "projection-replay-progress");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionReplays(EventProcessingConfiguration processing, EventStoreHead eventStoreHead, Clock clock,
                             Duration logInterval, Map<String, BulkReplay> bulks) {
        this.processing = processing;
        this.bulks = Map.copyOf(bulks);
        this.eventStoreHead = eventStoreHead;
        this.clock = clock;
        logger.scheduleAtFixedRate(this::logProgress, logInterval.toMillis(), logInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One replay: when it started, the head it has to reach, and when it was seen complete. */
    private record Run(Instant startedAt, long targetHead, Instant completedAt) {
    }

    /** What GET answers. */
    @Schema(name = "ReplayProgress", requiredProperties = {"projection", "state", "position", "head",
            "percent", "events_per_second", "eta_seconds", "started_at", "completed_at"})
    public record Progress(String projection,
                           @Schema(allowableValues = {"idle", "replaying", "completed"}) String state,
                           long position, long head, double percent,
                           double eventsPerSecond, @Schema(nullable = true) Long etaSeconds,
                           @Schema(nullable = true) Instant startedAt, @Schema(nullable = true) Instant completedAt) {
    }

    /**
     * Starts a replay of {@code name} from the first event; a replay already running is restarted from zero, except
     * in its bulk phase (one transaction that holds every segment), whose progress is answered instead.
     * A reset needs every segment: while another instance holds one, nothing is reset, this instance's processor
     * runs on as before and the answer is 409.
     */
    public synchronized Progress start(String name) {
        StreamingEventProcessor processor = processor(name);
        if (bulking.containsKey(name)) {
            return progress(name);
        }
        long head = head();
        log.info("replay of projection {} requested: resetting it and rebuilding from the event store (head {})",
                name, head);
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException claimedElsewhere) {
            processor.start();
            log.warn("replay of projection {} refused: another query-service instance holds one of its segments",
                    name);
            throw new ApiException(ApiError.of(409, "segments_claimed_elsewhere", "Another query-service instance "
                    + "is running projection " + name + "; stop the other instances, then replay"));
        }
        runs.put(name, new Run(clock.instant(), head, null));
        BulkReplay bulk = bulks.get(name);
        if (bulk == null) {
            processor.start();
        } else {
            AtomicLong position = new AtomicLong();
            bulking.put(name, position);
            bulkRunner.execute(() -> bulk(name, bulk, head, position, processor));
        }
        return progress(name);
    }

    private void bulk(String name, BulkReplay bulk, long head, AtomicLong position, StreamingEventProcessor processor) {
        try {
            TrackingToken token = bulk.rebuild(head, position::set);
            log.info("replay of projection {}: bulk path projected the store up to position {}", name,
                    token == null ? 0 : token.position().orElse(0));
        } catch (RuntimeException e) {
            // rolled back: the reset tokens stand, the processor replays from zero the usual way
            log.warn("replay of projection {}: the bulk path failed, replaying event by event instead", name, e);
        } finally {
            bulking.remove(name);
            if (!closed) {
                processor.start();
            }
        }
    }

    /** True from the reset until the processor has passed the head the store had when the replay started. */
    public boolean replaying(String name) {
        Run run = runs.get(name);
        if (run == null || run.completedAt() != null) {
            return false;
        }
        return complete(name, run).completedAt() == null;
    }

    public Progress progress(String name) {
        StreamingEventProcessor processor = processor(name);
        long head = head();
        AtomicLong bulked = bulking.get(name);
        long position = Math.max(position(processor), bulked == null ? 0 : bulked.get());
        Run run = runs.get(name);
        if (run == null) {
            return new Progress(name, "idle", position, head, percent(position, head), 0, null, null, null);
        }
        run = complete(name, run);
        Instant end = run.completedAt() == null ? clock.instant() : run.completedAt();
        double seconds = Math.max(0.001, Duration.between(run.startedAt(), end).toNanos() / 1e9);
        double rate = position / seconds;
        Long eta = run.completedAt() != null ? Long.valueOf(0)
                : rate <= 0 ? null : Long.valueOf((long) Math.ceil(Math.max(0, head - position) / rate));
        return new Progress(name, run.completedAt() == null ? "replaying" : "completed", position, head,
                percent(position, head), Math.round(rate * 10) / 10.0, eta, run.startedAt(), run.completedAt());
    }

    private Run complete(String name, Run run) {
        if (run.completedAt() != null) {
            return run;
        }
        StreamingEventProcessor processor = processor(name);
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        // not EventTrackerStatus.isReplaying(): Axon keeps a ReplayToken until an event past the reset position
        // arrives, which on a quiet store may be never; what matters is that every event up to the head is projected
        boolean done = processor.isRunning() && !status.isEmpty() && position(status) >= run.targetHead();
        if (!done) {
            return run;
        }
        Run completed = new Run(run.startedAt(), run.targetHead(), clock.instant());
        if (runs.replace(name, run, completed)) {
            log.info("replay of projection {} completed: {} events in {} ms", name, run.targetHead(),
                    Duration.between(run.startedAt(), completed.completedAt()).toMillis());
        }
        return runs.get(name);
    }

    private void logProgress() {
        try {
            for (String name : List.copyOf(runs.keySet())) {
                if (runs.get(name).completedAt() == null) {
                    Progress p = progress(name);
                    if ("replaying".equals(p.state())) {
                        log.info("replay of projection {}: position {} of {} ({}%), {} events/s, ETA {} s", name,
                                p.position(), p.head(), String.format(java.util.Locale.ROOT, "%.1f", p.percent()),
                                p.eventsPerSecond(), p.etaSeconds() == null ? "?" : p.etaSeconds());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not report replay progress", e);
        }
    }

    private StreamingEventProcessor processor(String name) {
        if (!REPLAYABLE.contains(name)) {
            throw new IllegalArgumentException("not a replayable projection: " + name);
        }
        Optional<StreamingEventProcessor> processor = processing.eventProcessor(name, StreamingEventProcessor.class);
        return processor.orElseThrow(() -> new IllegalStateException("no streaming processor " + name));
    }

    private long head() {
        return eventStoreHead.position();
    }

    /** The slowest segment's position: every event up to it is projected. 0 before any segment is claimed. */
    private static long position(StreamingEventProcessor processor) {
        return position(processor.processingStatus());
    }

    private static long position(Map<Integer, EventTrackerStatus> status) {
        if (status.isEmpty()) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (EventTrackerStatus segment : status.values()) {
            TrackingToken token = segment.getTrackingToken();
            OptionalLong position = token == null ? OptionalLong.empty() : token.position();
            min = Math.min(min, position.orElse(0));
        }
        return min;
    }

    private static double percent(long position, long head) {
        if (head <= 0) {
            return 100.0;
        }
        return Math.min(100.0, Math.floor(position * 1000.0 / head) / 10.0);
    }

    @Override
    public void close() {
        closed = true;
        logger.shutdownNow();
        bulkRunner.shutdownNow();
    }
}
