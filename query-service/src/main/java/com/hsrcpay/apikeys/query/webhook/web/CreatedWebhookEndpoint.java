package com.hsrcpay.apikeys.query.webhook.web;

import com.hsrcpay.apikeys.query.webhook.application.WebhookEndpoints;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer to a create: the endpoint object and, this one time, its signing secret. */
@Schema(name = "CreatedWebhookEndpoint", requiredProperties = {"object", "id", "account_id", "mode", "url", "events",
        "description", "status", "created_at", "updated_at", "secret"})
public record CreatedWebhookEndpoint(
        @Schema(allowableValues = "webhook_endpoint") String object,
        UUID id,
        String accountId,
        @Schema(allowableValues = {"live", "test"}) String mode,
        @Schema(format = "uri") String url,
        @ArraySchema(schema = @Schema(description = "an event type (api_key.created, …) or *")) List<String> events,
        @Schema(nullable = true) String description,
        @Schema(allowableValues = {"enabled", "disabled"}) String status,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "the signing secret (whsec_ + base64), shown in this answer only", pattern = "^whsec_")
        String secret) {

    static CreatedWebhookEndpoint of(WebhookEndpoints.Created created) {
        WebhookEndpointObject o = WebhookEndpointObject.of(created.endpoint());
        return new CreatedWebhookEndpoint(o.object(), o.id(), o.accountId(), o.mode(), o.url(), o.events(),
                o.description(), o.status(), o.createdAt(), o.updatedAt(), created.secret());
    }

    @Override
    public String toString() {
        return "CreatedWebhookEndpoint[id=" + id + ", secret=***]";
    }
}
