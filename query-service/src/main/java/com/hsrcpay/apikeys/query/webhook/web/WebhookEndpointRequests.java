package com.hsrcpay.apikeys.query.webhook.web;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The bodies of create and patch (unknown fields are refused, as everywhere). */
final class WebhookEndpointRequests {

    private WebhookEndpointRequests() {
    }

    @Schema(name = "CreateWebhookEndpointRequest", requiredProperties = {"url", "events"})
    record Create(
            @Schema(format = "uri", maxLength = 2048,
                    description = "https to a public host (the local stack: also http://localhost, http://127.0.0.1)")
            String url,
            @ArraySchema(minItems = 1, schema = @Schema(description = "an event type (api_key.created, …) or *"))
            List<String> events,
            @Schema(maxLength = 500, nullable = true) String description) {
    }

    @Schema(name = "WebhookEndpointPatch", minProperties = 1, description = "Only the fields sent change.")
    record Patch(
            @Schema(format = "uri", maxLength = 2048) String url,
            @ArraySchema(minItems = 1, schema = @Schema(description = "an event type (api_key.created, …) or *"))
            List<String> events,
            @Schema(maxLength = 500) String description,
            @Schema(allowableValues = {"enabled", "disabled"}) String status) {
    }
}
