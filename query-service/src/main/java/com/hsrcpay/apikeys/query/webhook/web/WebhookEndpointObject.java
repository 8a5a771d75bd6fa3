package com.hsrcpay.apikeys.query.webhook.web;

import com.hsrcpay.apikeys.query.webhook.application.WebhookEndpoints;
import com.hsrcpay.apikeys.query.webhook.model.WebhookEndpoint;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The contract's {@code webhook_endpoint} object; never its secret. */
@Schema(name = "WebhookEndpoint", requiredProperties = {"object", "id", "account_id", "mode", "url", "events",
        "description", "status", "created_at", "updated_at"})
public record WebhookEndpointObject(
        @Schema(allowableValues = "webhook_endpoint") String object,
        UUID id,
        String accountId,
        @Schema(allowableValues = {"live", "test"}) String mode,
        @Schema(format = "uri") String url,
        @ArraySchema(schema = @Schema(description = "an event type (api_key.created, …) or *")) List<String> events,
        @Schema(nullable = true) String description,
        @Schema(allowableValues = {"enabled", "disabled"}) String status,
        Instant createdAt,
        Instant updatedAt) {

    static WebhookEndpointObject of(WebhookEndpoint endpoint) {
        return new WebhookEndpointObject("webhook_endpoint", endpoint.id(), endpoint.accountId().value(),
                endpoint.mode().wireName(), endpoint.url(), endpoint.events(), endpoint.description(),
                endpoint.enabled() ? WebhookEndpoints.ENABLED : WebhookEndpoints.DISABLED, endpoint.createdAt(),
                endpoint.updatedAt());
    }
}
