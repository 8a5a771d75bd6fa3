package com.hsrcpay.apikeys.localstack.gateway;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes take turns per credential before they are forwarded: at most {@code perCredential} of one credential's
 * writes are in the command service at once, the next wait in arrival order (on a gateway thread, using no CPU) for
 * at most {@code queueWait}, and beyond that the answer is 429 {@code too_many_concurrent_writes} with Retry-After.
 * A client retrying one create 100 times at once then costs the service what three requests cost, and other merchants'
 * writes keep their latency (measured by {@code ResilienceBenchmark}). The wait is shorter than the request bound
 * minus the command service's own wait for a busy key, so a write is answered within the documented 2 s. The
 * credential is the raw Authorization header, held by its SHA-256 only. A request without one (GitHub's secret scanning
 * reports, public exposure reports: the only writes that need none) takes the turns of its client address instead, so
 * one anonymous flood cannot hold up GitHub's reports nor another reporter's.
 */
public final class WriteTurns {

    /** The bounds ({@code KMS_GATEWAY_WRITES_PER_CREDENTIAL}, {@code KMS_GATEWAY_WRITE_QUEUE_WAIT_MS}). */
    public record Limits(int perCredential, Duration queueWait) {

        /**
         * Three at once: on the two cores the local stack is sized for, more let one client crowd the others out
         * (8: bystander p99 x2.68), two leave a 100-copy retry storm's replays too little throughput for its 1 s bound.
         */
        public static final Limits DEFAULT = new Limits(3, Duration.ofMillis(1200));

        public Limits {
            if (perCredential < 1) {
                throw new IllegalArgumentException("KMS_GATEWAY_WRITES_PER_CREDENTIAL must be at least 1");
            }
            if (queueWait.isNegative()) {
                throw new IllegalArgumentException("KMS_GATEWAY_WRITE_QUEUE_WAIT_MS must not be negative");
            }
        }
    }

    /** Seconds a client refused a turn should wait before it retries. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Limits limits;
    // weak values: a credential's turns live while a write holds or awaits one (a turn holds its semaphore), then they
    // are collected; nothing to size or expire, and no flood of other credentials can evict a storm's turns
    private final LoadingCache<String, Semaphore> turns;

    WriteTurns(Limits limits) {
        this.limits = limits;
        this.turns = Caffeine.newBuilder().weakValues().build(key -> new Semaphore(limits.perCredential(), true));
    }

    /**
     * A turn for this credential (the raw Authorization header; null: none, then the turns of {@code clientAddress},
     * the TCP peer this gateway saw), or null when none came in time.
     */
    Turn await(String credential, String clientAddress) throws InterruptedException {
        String holder = credential != null ? "credential:" + credential : "address:" + clientAddress;
        Semaphore semaphore = turns.get(sha256(holder));
        if (!semaphore.tryAcquire(limits.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.getAndSet(false)) {
                semaphore.release();
            }
        };
    }

    /** A turn held; closing it (once is enough) lets the next write of the credential in. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
