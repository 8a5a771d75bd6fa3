package com.hsrcpay.apikeys.edge.security;

/** The permissions this API checks, in the contract's {@code resource:action} form. */
public enum KeyPermission {
    CREATE("account:api:key:create"),
    READ("account:api:key:read"),
    UPDATE("account:api:key:update"),
    DELETE("account:api:key:delete"),
    /** Webhook endpoints of the account (list, get and the delivery log: read; patch and a manual retry: update). */
    WEBHOOK_ENDPOINT_CREATE("account:webhook:endpoint:create"),
    WEBHOOK_ENDPOINT_READ("account:webhook:endpoint:read"),
    WEBHOOK_ENDPOINT_UPDATE("account:webhook:endpoint:update"),
    WEBHOOK_ENDPOINT_DELETE("account:webhook:endpoint:delete");

    private final String value;

    KeyPermission(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
