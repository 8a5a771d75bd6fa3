package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.edge.error.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifications per key, hour and outcome, counted in memory and written in batches every flush interval (never a
 * write per verification), kept 8 days. Memory bounded: past {@code maxPending} (key, hour, outcome) counts waiting,
 * new ones are dropped and counted as {@value #DROPPED}.
 */
public class UsageHours {

    private static final Logger log = LoggerFactory.getLogger(UsageHours.class);
    private static final String SCHEMA = UsageControlSchema.SCHEMA;

    public static final String VALID = "VALID";
    public static final String DROPPED = "kms.usage-control.usage.dropped";
    /** The longest span one query answers. */
    public static final Duration MAX_SPAN = Duration.ofDays(7);
    static final Duration RETENTION = Duration.ofDays(8);
    static final int ROWS_PER_STATEMENT = 1_000;
    private static final Pattern OUTCOME = Pattern.compile("[A-Z_]{1,32}");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int maxPending;
    private final Counter dropped;
    private final Map<Bucket, Long> pending = new ConcurrentHashMap<>();

    public UsageHours(JdbcTemplate jdbc, Clock clock, int maxPending, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxPending = maxPending;
        this.dropped = Counter.builder(DROPPED)
                .description("Verifications not counted in the hourly usage: the buffer was full (the database away"
                        + " too long) or the database refused them")
                .register(meters);
        Gauge.builder("kms.usage-control.usage.pending", pending, Map::size)
                .description("Hourly usage counts (key, hour, outcome) waiting to be written").register(meters);
    }

    /** Counts one verification of the key: {@value #VALID} or the code that refused it. Never blocks nor fails. */
    public void record(UUID keyId, String outcome) {
        if (!OUTCOME.matcher(outcome).matches()) {
            throw new IllegalArgumentException("an outcome is VALID or a refusal code");
        }
        Bucket bucket = new Bucket(keyId, clock.instant().truncatedTo(ChronoUnit.HOURS), outcome);
        if (pending.size() >= maxPending && !pending.containsKey(bucket)) {
            dropped.increment();
            return;
        }
        pending.merge(bucket, 1L, Long::sum);
    }

    /**
     * Writes what was counted since the last flush (adding to what the hour has), and forgets hours past the
     * retention. A chunk that fails for a passing reason goes back into the buffer; one refused for good is dropped
     * and counted.
     */
    public void flush() {
        List<Object[]> rows = new ArrayList<>();
        for (Bucket bucket : List.copyOf(pending.keySet())) {
            Long count = pending.remove(bucket);
            if (count != null) {
                rows.add(new Object[]{bucket.keyId, Timestamp.from(bucket.hour), bucket.outcome, count});
            }
        }
        rows.sort(Comparator.comparing((Object[] row) -> (UUID) row[0]).thenComparing(row -> (Timestamp) row[1])
                .thenComparing(row -> (String) row[2]));
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            try {
                jdbc.batchUpdate("INSERT INTO " + SCHEMA + ".usage_hour AS u (key_id, hour, outcome, verifications)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (key_id, hour, outcome)"
                        + " DO UPDATE SET verifications = u.verifications + EXCLUDED.verifications", chunk);
            } catch (RuntimeException e) {
                if (!Unavailable.isTransient(e)) {
                    log.error("Dropping the hourly usage of {} counts the database refused", chunk.size(), e);
                    dropped.increment(chunk.stream().mapToLong(row -> (Long) row[3]).sum());
                    continue;
                }
                log.warn("Could not write {} hourly usage counts; retrying with the next flush: {}", chunk.size(),
                        e.toString());
                for (Object[] row : chunk) {
                    pending.merge(new Bucket((UUID) row[0], ((Timestamp) row[1]).toInstant(), (String) row[2]),
                            (Long) row[3], Long::sum);
                }
            }
        }
        jdbc.update("DELETE FROM " + SCHEMA + ".usage_hour WHERE hour < ?",
                Timestamp.from(clock.instant().minus(RETENTION)));
    }

    /**
     * The key's hours in [{@code from}, {@code to}) that had verifications, oldest first, as written (at most one
     * flush interval behind). At most {@link #MAX_SPAN} a call.
     */
    public List<UsageBucket> between(UUID keyId, Instant from, Instant to) {
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("from must be before to, at most 7 days apart");
        }
        Map<Instant, long[]> valid = new TreeMap<>();
        Map<Instant, Map<String, Long>> refused = new TreeMap<>();
        jdbc.query("SELECT hour, outcome, verifications FROM " + SCHEMA + ".usage_hour"
                + " WHERE key_id = ? AND hour >= ? AND hour < ? ORDER BY hour", row -> {
            Instant hour = row.getTimestamp(1).toInstant();
            String outcome = row.getString(2);
            long count = row.getLong(3);
            valid.computeIfAbsent(hour, h -> new long[1]);
            refused.computeIfAbsent(hour, h -> new TreeMap<>());
            if (VALID.equals(outcome)) {
                valid.get(hour)[0] += count;
            } else {
                refused.get(hour).merge(outcome, count, Long::sum);
            }
        }, keyId, Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)), Timestamp.from(to));
        return valid.keySet().stream()
                .map(hour -> new UsageBucket(hour, valid.get(hour)[0], refused.get(hour))).toList();
    }

    private record Bucket(UUID keyId, Instant hour, String outcome) {
    }
}
