package com.hsrcpay.apikeys.query.webhook.application;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

    public List<Delivery> page(UUID endpointId, int page, int limit) {
        List<Delivery> deliveries = jdbc.query("""
                SELECT id, event_id, type, status, next_attempt_at FROM read_model.webhook_delivery
                WHERE endpoint_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?""", (rs, n) -> {
            Timestamp next = rs.getTimestamp("next_attempt_at");
            return new Delivery(rs.getObject("id", UUID.class), rs.getString("event_id"), rs.getString("type"),
                    rs.getString("status"), new ArrayList<>(), next == null ? null : next.toInstant());
        }, endpointId, limit, (long) (page - 1) * limit);
        if (deliveries.isEmpty()) {
            return deliveries;
        }
        Map<UUID, Delivery> byId = new HashMap<>();
        deliveries.forEach(d -> byId.put(d.id(), d));
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT delivery_id, at, status_code, latency_ms, error"
                    + " FROM read_model.webhook_attempt WHERE delivery_id = ANY (?) ORDER BY delivery_id, number");
            statement.setArray(1, con.createArrayOf("uuid", byId.keySet().toArray()));
            return statement;
        }, rs -> {
            int code = rs.getInt("status_code");
            Integer statusCode = rs.wasNull() ? null : code;
            byId.get(rs.getObject("delivery_id", UUID.class)).attempts().add(new Attempt(
                    rs.getTimestamp("at").toInstant(), statusCode, rs.getLong("latency_ms"), rs.getString("error")));
        });
        return deliveries;
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
