package com.hsrcpay.apikeys.shared.key;

/** Secret keys act on the API; publishable keys only identify an account to client-side code. */
public enum KeyType {
    SECRET("sk"), PUBLISHABLE("pk");

    private final String prefix;

    KeyType(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
