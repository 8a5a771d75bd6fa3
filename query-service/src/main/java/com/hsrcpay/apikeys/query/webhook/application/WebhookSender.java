package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.WebhookSettings;
import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import com.hsrcpay.apikeys.query.webhook.model.RetrySchedule;
import com.standardwebhooks.exceptions.WebhookSigningException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Works the outbox: takes due deliveries (a claim, so instances sharing the table never send one twice at once),
 * checks the target again after DNS (inside the connection: {@link DeliveryHttp}), signs per Standard Webhooks ({@code webhook-id} = the delivery's id, the same on
 * every retry; {@code webhook-timestamp}; {@code webhook-signature}) and POSTs with a bounded time, no redirects and
 * the response body unread. A 2xx succeeds; a 410 fails the delivery and disables the endpoint; anything else is
 * retried on {@link RetrySchedule}, then failed. A manual retry is one extra attempt that leaves the schedule as it
 * was. Woken by the outbox after each commit; otherwise it looks every {@code poll-interval-ms}. Time comes from the
 * injected clock, so the schedule is tested without waiting.
 */
public class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int MAX_ERROR = 200;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final WebhookSigningSecrets secrets;
    private final DeliveryTargets targets;
    private final Clock clock;
    private final WebhookSettings settings;
    private final DeliveryMetrics metrics;
    private final DeliveryHttp http;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private long backlogCountedAt = Long.MIN_VALUE;
    private Thread loop;
    private ExecutorService senders;

    public WebhookSender(JdbcTemplate jdbc, TransactionTemplate transactions, WebhookSigningSecrets secrets,
                         DeliveryTargets targets, HostResolver resolver, Clock clock, WebhookSettings settings,
                         DeliveryMetrics metrics) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.secrets = secrets;
        this.targets = targets;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.http = new DeliveryHttp(resolver, targets, settings.timeoutMs(), settings.senderThreads());
    }

    /** Something may be due now (a commit of the outbox, a manual retry). */
    public void wake() {
        wake.release();
    }

    @Override
    public synchronized void start() {
        running = true;
        senders = Executors.newFixedThreadPool(settings.senderThreads(), r -> daemon(r, "webhook-send"));
        loop = daemon(this::loop, "webhook-sender");
        loop.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
            senders.shutdownNow();
            loop = null;
        }
    }

    /** The HTTP client's pool and deadline thread go with the bean. */
    public void close() throws IOException {
        http.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                countBacklog();
                int free = settings.senderThreads() - inFlight.get();
                int taken = free > 0 ? claimAndSend(free) : 0;
                if (taken == 0 || taken == free) {
                    wake.tryAcquire(settings.pollIntervalMs(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook sender round failed; next round in {} ms", settings.pollIntervalMs(), e);
                try {
                    Thread.sleep(settings.pollIntervalMs());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The backlog gauge, counted at most once a second (an index scan of the due rows). */
    private void countBacklog() {
        long nanos = System.nanoTime();
        if (backlogCountedAt != Long.MIN_VALUE && nanos - backlogCountedAt < 1_000_000_000L) {
            return;
        }
        backlogCountedAt = nanos;
        Long due = jdbc.queryForObject("""
                SELECT count(*) FROM read_model.webhook_delivery d
                JOIN read_model.webhook_endpoint e ON e.id = d.endpoint_id
                WHERE e.status = 'enabled' AND ((d.status = 'pending' AND d.next_attempt_at <= ?) OR d.retry_requested)""",
                Long.class, Timestamp.from(clock.instant()));
        metrics.backlog(due == null ? 0 : due);
    }

    private int claimAndSend(int max) {
        Instant now = clock.instant();
        List<Claimed> claimed = jdbc.query("""
                UPDATE read_model.webhook_delivery d SET claimed_until = ?
                FROM read_model.webhook_endpoint e
                WHERE e.id = d.endpoint_id AND d.id IN (
                    SELECT d2.id FROM read_model.webhook_delivery d2
                    JOIN read_model.webhook_endpoint e2 ON e2.id = d2.endpoint_id
                    WHERE e2.status = 'enabled' AND (d2.claimed_until IS NULL OR d2.claimed_until < ?)
                      AND ((d2.status = 'pending' AND d2.next_attempt_at <= ?) OR d2.retry_requested)
                    ORDER BY d2.next_attempt_at NULLS LAST LIMIT ? FOR UPDATE OF d2 SKIP LOCKED)
                RETURNING d.id, d.endpoint_id, d.body, d.status, d.next_attempt_at, d.scheduled_attempts, e.url""",
                (rs, n) -> {
                    Timestamp next = rs.getTimestamp("next_attempt_at");
                    boolean scheduled = "pending".equals(rs.getString("status")) && next != null
                            && !next.toInstant().isAfter(now);
                    return new Claimed(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                            rs.getBytes("body"), rs.getString("url"), scheduled, rs.getInt("scheduled_attempts"));
                }, Timestamp.from(now.plusMillis(settings.claimMs())), Timestamp.from(now), Timestamp.from(now), max);
        claimed.forEach(this::dispatch);
        return claimed.size();
    }

    /** The sender's now: what the outbox compares a delivery's due time with. */
    Instant now() {
        return clock.instant();
    }

    /** The claim the outbox writes on a delivery due at once, in its own transaction, before handing it over. */
    Instant claimForHandoff() {
        return clock.instant().plusMillis(settings.claimMs());
    }

    /**
     * Deliveries the outbox just committed, already claimed for this instance: sent at once, without waiting for
     * the next claim round trip (the path of a change to its webhook). When too many are in flight, their claims are
     * given back and the loop takes them in turn.
     */
    void sendNow(List<Handoff> deliveries) {
        if (!running || inFlight.get() + deliveries.size() > settings.senderThreads() * 4L) {
            try {
                jdbc.update(con -> {
                    var statement = con.prepareStatement(
                            "UPDATE read_model.webhook_delivery SET claimed_until = NULL WHERE id = ANY (?)");
                    statement.setArray(1, con.createArrayOf("uuid", deliveries.stream().map(Handoff::id).toArray()));
                    return statement;
                });
            } catch (RuntimeException e) {
                log.warn("Could not give back {} webhook claims; they are taken again once they end",
                        deliveries.size(), e);
            }
            wake();
            return;
        }
        for (Handoff delivery : deliveries) {
            dispatch(new Claimed(delivery.id(), delivery.endpointId(), delivery.body(), delivery.url(), true, 0));
        }
    }

    private void dispatch(Claimed delivery) {
        inFlight.incrementAndGet();
        try {
            senders.execute(() -> {
                try {
                    record(delivery, send(delivery));
                } catch (RuntimeException e) {
                    log.warn("Webhook delivery {} could not be recorded; it is tried again once its claim ends",
                            delivery.id(), e);
                } finally {
                    inFlight.decrementAndGet();
                    wake();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            inFlight.decrementAndGet(); // stopping: the claim ends and another instance (or the next start) sends it
        }
    }

    /** One attempt; never throws for what the receiver or the network did. */
    private Attempt send(Claimed delivery) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            URI uri = targets.parse(delivery.url()); // the URL's rules; its addresses are checked inside the connect
            if (delivery.body().length > settings.maxBodyBytes()) {
                return new Attempt(at, null, elapsed(started), "body_too_large");
            }
            String body = new String(delivery.body(), StandardCharsets.UTF_8);
            String webhookId = delivery.id().toString();
            long timestamp = at.getEpochSecond();
            String signature = secrets.signerOf(delivery.endpointId()).sign(webhookId, timestamp, body);
            int status = http.post(uri, Map.of("webhook-id", webhookId, "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", signature), delivery.body());
            return new Attempt(at, status, elapsed(started), null);
        } catch (DeliveryTargets.Refused refused) {
            return new Attempt(at, null, elapsed(started), "target_refused: " + refused.getMessage());
        } catch (TargetCheckingResolver.RefusedTarget refused) {
            return new Attempt(at, null, elapsed(started), "target_refused: " + refused.getMessage());
        } catch (UnknownHostException e) {
            return new Attempt(at, null, elapsed(started), "unresolvable_host");
        } catch (DeliveryHttp.DeadlineExceeded e) {
            return new Attempt(at, null, elapsed(started), "timeout after " + settings.timeoutMs() + " ms");
        } catch (IOException e) {
            return new Attempt(at, null, elapsed(started), "connection_failed: " + e.getClass().getSimpleName());
        } catch (WebhookSigningException e) {
            return new Attempt(at, null, elapsed(started), "signing_failed");
        } catch (IllegalArgumentException e) {
            return new Attempt(at, null, elapsed(started), "invalid_request");
        }
    }

    private void record(Claimed delivery, Attempt attempt) {
        boolean succeeded = attempt.statusCode() != null && attempt.statusCode() >= 200 && attempt.statusCode() < 300;
        boolean gone = attempt.statusCode() != null && attempt.statusCode() == 410;
        DeliveryMetrics.Outcome outcome = transactions.execute(status -> {
            int inserted = jdbc.update("""
                    INSERT INTO read_model.webhook_attempt (delivery_id, number, at, status_code, latency_ms, error)
                    SELECT ?, coalesce((SELECT max(number) FROM read_model.webhook_attempt WHERE delivery_id = ?), 0) + 1,
                        ?, ?, ?, ?
                    WHERE EXISTS (SELECT 1 FROM read_model.webhook_delivery WHERE id = ?)""",
                    delivery.id(), delivery.id(), Timestamp.from(attempt.at()), attempt.statusCode(),
                    attempt.latencyMs(), truncate(attempt.error()), delivery.id());
            if (inserted == 0) {
                return null; // the endpoint was deleted meanwhile
            }
            // finished_at: when a delivery last ended, where its retention starts (DeliveryRetention)
            Timestamp finished = Timestamp.from(clock.instant());
            if (succeeded) {
                jdbc.update("UPDATE read_model.webhook_delivery SET status = 'succeeded', next_attempt_at = NULL,"
                        + " retry_requested = FALSE, claimed_until = NULL, scheduled_attempts = scheduled_attempts + ?,"
                        + " finished_at = ? WHERE id = ?", delivery.scheduled() ? 1 : 0, finished, delivery.id());
                return DeliveryMetrics.Outcome.SUCCEEDED;
            }
            if (gone) {
                jdbc.update("UPDATE read_model.webhook_delivery SET status = 'failed', next_attempt_at = NULL,"
                        + " retry_requested = FALSE, claimed_until = NULL, finished_at = ? WHERE id = ?", finished,
                        delivery.id());
                jdbc.update("UPDATE read_model.webhook_endpoint SET status = 'disabled', updated_at = ? WHERE id = ?",
                        finished, delivery.endpointId());
                log.info("Webhook endpoint {} answered 410 Gone: disabled", delivery.endpointId());
                return DeliveryMetrics.Outcome.DISABLED;
            }
            if (delivery.scheduled()) {
                int failures = delivery.scheduledAttempts() + 1;
                Optional<Instant> next = RetrySchedule.nextAttempt(failures, attempt.at());
                jdbc.update("UPDATE read_model.webhook_delivery SET status = ?, next_attempt_at = ?,"
                                + " scheduled_attempts = ?, retry_requested = FALSE, claimed_until = NULL,"
                                + " finished_at = ? WHERE id = ?",
                        next.isPresent() ? "pending" : "failed", next.map(Timestamp::from).orElse(null), failures,
                        next.isPresent() ? null : finished, delivery.id());
                return next.isPresent() ? DeliveryMetrics.Outcome.FAILED_ATTEMPT : DeliveryMetrics.Outcome.GIVEN_UP;
            }
            // a manual retry that failed: the schedule goes on as it was (a failed delivery's retention starts again)
            jdbc.update("UPDATE read_model.webhook_delivery SET retry_requested = FALSE, claimed_until = NULL,"
                    + " finished_at = CASE WHEN status = 'pending' THEN NULL ELSE ?::timestamptz END WHERE id = ?", finished,
                    delivery.id());
            return DeliveryMetrics.Outcome.FAILED_ATTEMPT;
        });
        if (outcome != null) {
            metrics.attempted(outcome, attempt.latencyNanos());
        }
    }

    private static long elapsed(long startedNanos) {
        return System.nanoTime() - startedNanos;
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A delivery the outbox committed with a claim, due now: the endpoint's URL and the body as committed. */
    record Handoff(UUID id, UUID endpointId, String url, byte[] body) {

        Handoff withBody(byte[] newBody) {
            return new Handoff(id, endpointId, url, newBody);
        }
    }

    private record Claimed(UUID id, UUID endpointId, byte[] body, String url, boolean scheduled,
                           int scheduledAttempts) {
    }

    private record Attempt(Instant at, Integer statusCode, long latencyNanos, String error) {

        long latencyMs() {
            return latencyNanos / 1_000_000;
        }
    }
}
