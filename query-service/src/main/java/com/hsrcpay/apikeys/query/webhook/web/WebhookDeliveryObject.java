package com.hsrcpay.apikeys.query.webhook.web;

import com.hsrcpay.apikeys.query.webhook.application.DeliveryLog;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One delivery of the log: what went (type, the event), how it went (attempts), what is next. */
@Schema(name = "WebhookDelivery", requiredProperties = {"id", "event_id", "type", "status", "attempts",
        "next_attempt_at"})
public record WebhookDeliveryObject(
        @Schema(description = "also the webhook-id header, the same on every attempt") UUID id,
        @Schema(nullable = true, description = "the key event; null for api_key.expiring") String eventId,
        String type,
        @Schema(allowableValues = {"pending", "succeeded", "failed"}) String status,
        List<AttemptObject> attempts,
        @Schema(nullable = true) Instant nextAttemptAt) {

    static WebhookDeliveryObject of(DeliveryLog.Delivery d) {
        return new WebhookDeliveryObject(d.id(), d.eventId(), d.type(), d.status(),
                d.attempts().stream().map(a -> new AttemptObject(a.at(), a.statusCode(), a.latencyMs(), a.error()))
                        .toList(), d.nextAttemptAt());
    }

    @Schema(name = "WebhookAttempt", requiredProperties = {"at", "status_code", "latency_ms", "error"})
    public record AttemptObject(Instant at,
                                @Schema(nullable = true, description = "null: no answer") Integer statusCode,
                                long latencyMs,
                                @Schema(nullable = true) String error) {
    }
}
