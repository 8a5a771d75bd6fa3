package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.edge.error.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last use of each key, recorded in memory on every successful use and written in one batch every flush
 * interval (never an event, never a transaction per request). Visible in the API after at most one interval.
 */
public class KeyUsage {

    private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

    /** Keys whose last use waits to be written; past it (the database away for long), new keys' uses are dropped. */
    public static final int MAX_PENDING = 100_000;
    public static final String DROPPED = "kms.usage.dropped";
    static final int ROWS_PER_STATEMENT = 1_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int maxPending;
    private final Counter dropped;
    private final Map<UUID, Use> pending = new ConcurrentHashMap<>();

    public KeyUsage(JdbcTemplate jdbc, Clock clock, int maxPending, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxPending = maxPending;
        this.dropped = Counter.builder(DROPPED)
                .description("Last uses not recorded: the buffer was full (the database away too long) or the database refused them")
                .register(meters);
        Gauge.builder("kms.usage.pending", pending, Map::size)
                .description("Keys whose last use waits to be written").register(meters);
    }

    /**
     * {@code address} may be null (a verification on behalf of another service): the last known one stays. Never
     * blocks nor fails the request: a use that finds the buffer full is counted as {@value #DROPPED} and forgotten
     * (its key's next use after the database is back records it again).
     */
    public void used(UUID keyId, String address) {
        if (pending.size() >= maxPending && !pending.containsKey(keyId)) {
            dropped.increment();
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        pending.merge(keyId, new Use(now, address), (old, next) -> new Use(next.at(),
                next.address() != null ? next.address() : old.address()));
    }

    /**
     * Writes what was recorded since the last flush, at most {@value #ROWS_PER_STATEMENT} keys a statement (each
     * well inside the statement timeout, also after a long outage filled the buffer); later uses never lose to earlier
     * ones. A chunk that fails for a passing reason goes back into the buffer; one the database refuses for good is
     * dropped and counted, never retried forever (it would block every later flush).
     */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (UUID keyId : List.copyOf(pending.keySet())) {
            Use use = pending.remove(keyId);
            if (use != null) {
                rows.add(new Object[]{keyId, Timestamp.from(use.at()), use.address()});
            }
        }
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            try {
                jdbc.batchUpdate("""
                        INSERT INTO read_model.key_usage (key_id, last_used_at, last_used_ip) VALUES (?, ?, ?)
                        ON CONFLICT (key_id) DO UPDATE SET
                            last_used_at = GREATEST(key_usage.last_used_at, EXCLUDED.last_used_at),
                            last_used_ip = COALESCE(EXCLUDED.last_used_ip, key_usage.last_used_ip)""", chunk);
            } catch (RuntimeException e) {
                if (!Unavailable.isTransient(e)) {
                    log.error("Dropping the last use of {} keys the database refused", chunk.size(), e);
                    dropped.increment(chunk.size());
                    continue;
                }
                log.warn("Could not write the last use of {} keys; retrying with the next flush: {}", chunk.size(),
                        e.toString());
                for (Object[] row : chunk) {
                    // back into the buffer unless a newer use is there already
                    pending.putIfAbsent((UUID) row[0], new Use(((Timestamp) row[1]).toInstant(), (String) row[2]));
                }
            }
        }
    }

    private record Use(Instant at, String address) {
    }
}
