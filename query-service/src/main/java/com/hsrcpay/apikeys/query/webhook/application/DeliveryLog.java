package com.hsrcpay.apikeys.query.webhook.application;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An endpoint's deliveries, newest first, with their attempts; and the manual retry of one. */
public class DeliveryLog {

    private final JdbcTemplate jdbc;
    private final Runnable wakeSender;

    public DeliveryLog(JdbcTemplate jdbc, Runnable wakeSender) {
        this.jdbc = jdbc;
        this.wakeSender = wakeSender;
    }

    /**
     * One statement, so one snapshot: read in two, a page could list an attempt the sender had just recorded beside
     * the delivery's status and next attempt from before it (DeliveryLogIT).
     */
    public List<Delivery> page(UUID endpointId, int page, int limit) {
        Map<UUID, Delivery> byId = new LinkedHashMap<>();
        jdbc.query("""
                SELECT d.id, d.event_id, d.type, d.status, d.next_attempt_at,
                    a.at, a.status_code, a.latency_ms, a.error
                FROM (SELECT id, event_id, type, status, next_attempt_at, created_at FROM read_model.webhook_delivery
                      WHERE endpoint_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?) d
                LEFT JOIN read_model.webhook_attempt a ON a.delivery_id = d.id
                ORDER BY d.created_at DESC, d.id, a.number""", rs -> {
            UUID id = rs.getObject("id", UUID.class);
            Delivery delivery = byId.get(id);
            if (delivery == null) {
                Timestamp next = rs.getTimestamp("next_attempt_at");
                delivery = new Delivery(id, rs.getString("event_id"), rs.getString("type"), rs.getString("status"),
                        new ArrayList<>(), next == null ? null : next.toInstant());
                byId.put(id, delivery);
            }
            Timestamp at = rs.getTimestamp("at");
            if (at != null) {
                int code = rs.getInt("status_code");
                Integer statusCode = rs.wasNull() ? null : code;
                delivery.attempts().add(new Attempt(at.toInstant(), statusCode, rs.getLong("latency_ms"),
                        rs.getString("error")));
            }
        }, endpointId, limit, (long) (page - 1) * limit);
        return new ArrayList<>(byId.values());
    }

    public long count(UUID endpointId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM read_model.webhook_delivery WHERE endpoint_id = ?",
                Long.class, endpointId);
        return count == null ? 0 : count;
    }

    /** Asks for one more attempt, whatever the delivery's state; false when the endpoint has no such delivery. */
    public boolean requestRetry(UUID endpointId, UUID deliveryId) {
        boolean found = jdbc.update("UPDATE read_model.webhook_delivery SET retry_requested = TRUE"
                + " WHERE id = ? AND endpoint_id = ?", deliveryId, endpointId) > 0;
        if (found) {
            wakeSender.run();
        }
        return found;
    }

    /** One delivery as the log shows it. */
    public record Delivery(UUID id, String eventId, String type, String status, List<Attempt> attempts,
                           Instant nextAttemptAt) {
    }

    public record Attempt(Instant at, Integer statusCode, long latencyMs, String error) {
    }
}
