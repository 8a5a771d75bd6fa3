package com.hsrcpay.apikeys.query.processing;

import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The query-service instances sharing one read model, and each one's fair share of a processor's segments.
 * Every instance writes a heartbeat row; those seen within three intervals are alive. Axon's pooled processors ask
 * {@link #maxSegments(String)} before claiming and release what is above it, so a second instance gets half the
 * segments within a claim interval, and when an instance dies its heartbeat stops, the share of the others grows
 * and they claim its segments once its claims time out. Answers come from the last heartbeat, never a query:
 * Axon asks on every coordination cycle.
 */
public class ProcessorInstances implements MaxSegmentProvider {

    private static final Logger log = LoggerFactory.getLogger(ProcessorInstances.class);

    private final JdbcTemplate jdbc;
    private final String id;
    private final Duration heartbeat;
    private volatile int alive = 1;
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();

    public ProcessorInstances(JdbcTemplate jdbc, Duration heartbeat) {
        this.jdbc = jdbc;
        this.heartbeat = heartbeat;
        // pid@host names the process (Axon's default token owner); the suffix tells apart instances in one JVM
        this.id = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This instance's name: its heartbeat row and the owner of the segments it claims. */
    public String id() {
        return id;
    }

    /** How often this instance beats; peers count it alive for three of these. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** Records this instance as alive and refreshes the number of live instances and of each processor's segments. */
    public void beat() {
        jdbc.update("""
                INSERT INTO read_model.processor_instance (instance_id, seen_at) VALUES (?, now())
                ON CONFLICT (instance_id) DO UPDATE SET seen_at = now()""", id);
        // rows of instances gone for an hour are history, not peers
        jdbc.update("DELETE FROM read_model.processor_instance WHERE seen_at < now() - interval '1 hour'");
        Integer live = jdbc.queryForObject(
                "SELECT count(*) FROM read_model.processor_instance WHERE seen_at > now() - ? * interval '1 millisecond'",
                Integer.class, 3 * heartbeat.toMillis());
        int now = Math.max(1, live == null ? 1 : live);
        if (now != alive) {
            log.info("{} query-service instance(s) alive; each claims at most its share of every processor's segments",
                    now);
        }
        alive = now;
        jdbc.query("SELECT processor_name, count(*) FROM read_model.token_entry GROUP BY processor_name",
                rs -> {
                    segmentCounts.put(rs.getString(1), rs.getInt(2));
                });
    }

    /** Leaves the group at shutdown so the others take over at once instead of after three missed beats. */
    public void leave() {
        jdbc.update("DELETE FROM read_model.processor_instance WHERE instance_id = ?", id);
    }

    public int alive() {
        return alive;
    }

    /** Segments of {@code processorName} divided by live instances, rounded up; unlimited before tokens exist. */
    @Override
    public int getMaxSegments(String processorName) {
        Integer segments = segmentCounts.get(processorName);
        if (segments == null || segments == 0) {
            return Short.MAX_VALUE;
        }
        return Math.max(1, (segments + alive - 1) / alive);
    }
}
