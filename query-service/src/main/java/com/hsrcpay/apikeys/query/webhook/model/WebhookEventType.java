package com.hsrcpay.apikeys.query.webhook.model;

import java.util.Arrays;
import java.util.Optional;

/** The {@code type} of a webhook delivery, as the contract names it on the wire. */
public enum WebhookEventType {
    CREATED("api_key.created"),
    UPDATED("api_key.updated"),
    ROTATED("api_key.rotated"),
    EXPIRING("api_key.expiring"),
    EXPIRED("api_key.expired"),
    REVOKED("api_key.revoked"),
    DELETED("api_key.deleted"),
    /** The contract's type for a leaked key; {@link WebhookTypes} maps the exposure event to it once that event exists. */
    EXPOSED("api_key.exposed");

    /** The filter entry that subscribes an endpoint to every type. */
    public static final String ALL = "*";

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
