package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits on real PostgreSQL with the sync running at its default interval (200 ms): exact on one instance under
 * 50-way concurrency, and across two instances sharing one database within the bound the README documents. Windows
 * of 1 s, hammered by 50 threads for 5 s, so each window sees far more attempts than its limit.
 */
class RateLimitsAcrossInstancesIT {

    private static final Logger log = LoggerFactory.getLogger(RateLimitsAcrossInstancesIT.class);
    private static final long LIMIT = 200;
    private static final long WINDOW_MS = 1_000;
    /**
     * The documented bound on over-admission per window with two instances once they know of each other (each has
     * synced once while the other's row for the key existed): 5 % of the limit. Before that, each admits as if alone.
     */
    static final double TWO_INSTANCE_BOUND = 0.05;

    private final UsageDatabase db = new UsageDatabase();
    private final List<UsageControl> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(UsageControl::close);
        db.close();
    }

    private UsageControl engine() {
        UsageControl engine = db.engine(UsageControlSettings.defaults(), Clock.systemUTC());
        engine.start();
        engines.add(engine);
        return engine;
    }

    /** Admissions per window start, and the window start of the first and last attempt. */
    private static Map<Long, Long> hammer(List<UsageControl> instances, UUID key, long millis) throws Exception {
        return hammer(instances, key, millis, 1.0 / instances.size());
    }

    /** {@code firstShare}: the part of the attempts that go to the first instance (the rest to the others). */
    private static Map<Long, Long> hammer(List<UsageControl> instances, UUID key, long millis, double firstShare)
            throws Exception {
        List<RateLimit> limits = List.of(new RateLimit("per_second", LIMIT, WINDOW_MS));
        Map<Long, AtomicLong> admitted = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                running.add(threads.submit(() -> {
                    go.await();
                    while (System.nanoTime() < deadline) {
                        UsageControl instance = instances.size() == 1
                                || ThreadLocalRandom.current().nextDouble() < firstShare ? instances.get(0)
                                : instances.get(1 + ThreadLocalRandom.current().nextInt(instances.size() - 1));
                        UsageVerdict verdict = instance.check(UsageRequest.byDefault(key, limits, false, null));
                        if (verdict.admitted()) {
                            long windowStart = verdict.limits().get(0).resetAt().toEpochMilli() - WINDOW_MS;
                            admitted.computeIfAbsent(windowStart, w -> new AtomicLong()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> thread : running) {
                thread.get(millis + 30_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        Map<Long, Long> perWindow = new TreeMap<>();
        admitted.forEach((window, count) -> perWindow.put(window, count.get()));
        return perWindow;
    }

    /** The windows that lay wholly inside the run (the first and last are cut by its start and end). */
    private static List<Long> whole(Map<Long, Long> perWindow) {
        List<Long> counts = new ArrayList<>(perWindow.values());
        return counts.size() <= 2 ? List.of() : counts.subList(1, counts.size() - 1);
    }

    @Test
    void oneInstanceAdmitsExactlyTheLimitInEveryWindow() throws Exception {
        UsageControl only = engine();
        Map<Long, Long> perWindow = hammer(List.of(only), UUID.randomUUID(), 4_500);
        log.info("one instance, limit {} per {} ms: admitted per window {}", LIMIT, WINDOW_MS, perWindow.values());
        assertThat(perWindow.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(LIMIT));
        assertThat(whole(perWindow)).isNotEmpty().allSatisfy(count -> assertThat(count).isEqualTo(LIMIT));
    }

    @Test
    void twoInstancesOnOneDatabaseStayWithinTheDocumentedBound() throws Exception {
        twoInstances(0.5);
    }

    /** One instance gets 95 % of the attempts: the claims follow the traffic within a window. */
    @Test
    void twoInstancesWithSkewedTrafficStayWithinTheBoundAndStillReachTheLimit() throws Exception {
        twoInstances(0.95);
    }

    private void twoInstances(double share) throws Exception {
        UsageControl first = engine();
        UsageControl second = engine();
        UUID key = UUID.randomUUID();
        List<RateLimit> limits = List.of(new RateLimit("per_second", LIMIT, WINDOW_MS));
        // they meet: a free verification on each writes its row at the next sync, a second sync reads the other's
        for (UsageControl instance : List.of(first, second)) {
            instance.check(new UsageRequest(key, limits, false, null, null, List.of(new LimitCost("per_second", 0))));
        }
        first.sync();
        second.sync();
        first.sync();
        Map<Long, Long> perWindow = hammer(List.of(first, second), key, 5_500, share);
        List<Long> counts = new ArrayList<>(perWindow.values());
        // the first window is the one they met in (measured up to +19 % on a loaded machine): bounded by 2 x limit
        long worst = counts.subList(1, counts.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
        long fewest = whole(perWindow).stream().mapToLong(Long::longValue).min().orElseThrow();
        log.info("two instances ({} % of the attempts on the first), limit {} per {} ms, sync 200 ms: admitted per"
                + " window {} (after the first: most {}, over-admission {} = {} %; fewest in a whole window {})",
                (int) (share * 100),
                LIMIT, WINDOW_MS, counts, worst,
                Math.max(0, worst - LIMIT), 100.0 * Math.max(0, worst - LIMIT) / LIMIT, fewest);
        assertThat(counts.get(0)).as("the window where they met: each as if alone at most").isLessThanOrEqualTo(2 * LIMIT);
        assertThat(worst).as("over-admission per window within %s of the limit", TWO_INSTANCE_BOUND)
                .isLessThanOrEqualTo(LIMIT + (long) (LIMIT * TWO_INSTANCE_BOUND));
        assertThat(fewest).as("and the limit is still reached in every whole window (no starving share)")
                .isGreaterThanOrEqualTo((long) (LIMIT * 0.95));
    }
}
