package com.hsrcpay.apikeys.query.webhook.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.query.webhook.model.WebhookEventType;
import com.hsrcpay.apikeys.shared.event.KeyState;

import java.time.Instant;

/**
 * The one mapping of a key change to a webhook body: {@code {"type", "timestamp", "data"}}, {@code data} the key after
 * the change as the API shows it (masked secret, the API's JSON), {@code last_used_*} null (usage is no event).
 */
public final class WebhookBodies {

    private final ObjectMapper json;

    public WebhookBodies(ObjectMapper apiJson) {
        this.json = apiJson;
    }

    public byte[] of(WebhookEventType type, Instant timestamp, KeyState key) {
        try {
            return json.writeValueAsBytes(new Body(type.wireName(), timestamp,
                    ApiKeyObject.of(key, key.secretHint(), null, null)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A webhook body could not be written", e);
        }
    }

    /** The wire shape; property names snake_case as the API's mapper writes them. */
    record Body(String type, Instant timestamp, ApiKeyObject data) {
    }
}
