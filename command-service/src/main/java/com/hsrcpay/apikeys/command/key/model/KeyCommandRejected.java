package com.hsrcpay.apikeys.command.key.model;

import java.util.Map;
import java.util.Objects;

/** A command refused by a rule; the message and details never contain a secret. */
public class KeyCommandRejected extends RuntimeException {

    private final Rejection rejection;
    private final transient Map<String, Object> details;

    public KeyCommandRejected(Rejection rejection, String message) {
        this(rejection, message, Map.of());
    }

    public KeyCommandRejected(Rejection rejection, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.rejection = Objects.requireNonNull(rejection);
        this.details = Map.copyOf(details);
    }

    public static KeyCommandRejected invalid(String field, String reason, String message) {
        return new KeyCommandRejected(Rejection.INVALID_INPUT, message, Map.of("field", field, "reason", reason));
    }

    public Rejection rejection() {
        return rejection;
    }

    public Map<String, Object> details() {
        return details;
    }
}
