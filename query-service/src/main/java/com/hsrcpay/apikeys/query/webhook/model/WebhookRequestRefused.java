package com.hsrcpay.apikeys.query.webhook.model;

/** A webhook request that breaks a rule: a 400 naming {@code field} and {@code reason}, changing nothing. */
public class WebhookRequestRefused extends RuntimeException {

    private final String field;
    private final String reason;

    public WebhookRequestRefused(String field, String reason, String message) {
        super(message);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
