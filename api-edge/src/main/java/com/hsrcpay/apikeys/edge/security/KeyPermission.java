package com.hsrcpay.apikeys.edge.security;

/** The permissions this API checks, in the contract's {@code resource:action} form. */
public enum KeyPermission {
    CREATE("account:api:key:create"),
    READ("account:api:key:read"),
    UPDATE("account:api:key:update"),
    DELETE("account:api:key:delete");

    private final String value;

    KeyPermission(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
