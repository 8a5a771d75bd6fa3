package com.hsrcpay.apikeys.query.webhook.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Mode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where an account hears about its keys of one mode: a URL, the types it wants, enabled or not. */
public record WebhookEndpoint(UUID id, AccountId accountId, Mode mode, String url, List<String> events,
                              String description, boolean enabled, Instant createdAt, Instant updatedAt) {

    public WebhookEndpoint {
        events = List.copyOf(events);
    }
}
