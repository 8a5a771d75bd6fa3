package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.shared.key.Actor;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** One event of a key's history as the API shows it: who did what when, and what it changed. Never a secret. */
@Schema(requiredProperties = {"sequence_number", "type", "occurred_at", "actor", "request_id", "changes"})
public record HistoryEntry(
        long sequenceNumber,
        @Schema(description = "the event type, e.g. KeyCreated, KeyUpdated, SecretRotated, KeyRevoked") String type,
        Instant occurredAt,
        Actor actor,
        @Schema(nullable = true, description = "null for what the service did by itself (expiry, end of a grace)")
        String requestId,
        Map<String, KeyTimeline.Change> changes) {
}
