package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.processing.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the delivery log bounded: a delivery that ended (succeeded or failed) is deleted with its attempts once it has
 * been over for {@code retention} on the sender's clock; a pending one never is, nor one a manual retry is working on.
 * Deletes go in batches of {@code batchSize} rows, one short transaction each ({@code SKIP LOCKED}: instances sharing
 * the table purge side by side), every {@code interval}.
 */
public class DeliveryRetention extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);
    /** A run stops after this many batches; the next run goes on (a backlog never holds the thread for long). */
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;

    public DeliveryRetention(JdbcTemplate jdbc, Clock clock, Duration retention, int batchSize, Duration interval) {
        super("webhook-retention", interval, interval);
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
        this.batchSize = batchSize;
    }

    /** Deletes ended deliveries older than the retention, batch by batch; how many went. */
    public int purge() {
        Timestamp before = Timestamp.from(clock.instant().minus(retention));
        Instant now = clock.instant();
        int purged = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int deleted = jdbc.update("""
                    DELETE FROM read_model.webhook_delivery WHERE id IN (
                        SELECT id FROM read_model.webhook_delivery
                        WHERE status <> 'pending' AND finished_at < ? AND NOT retry_requested
                          AND (claimed_until IS NULL OR claimed_until < ?)
                        ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)""",
                    before, Timestamp.from(now), batchSize);
            purged += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        return purged;
    }

    @Override
    protected void round() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} webhook deliveries ended more than {} ago", purged, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Webhook delivery retention failed; tried again in {}", interval, e);
        }
    }
}
