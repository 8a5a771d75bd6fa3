package com.hsrcpay.apikeys.edge.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** A JSON value the strict reading refuses, with the contract's machine-readable {@code reason} for it. */
public final class RefusedValue extends MismatchedInputException {

    private final String reason;

    RefusedValue(JsonParser parser, String reason, String message, Class<?> type) {
        super(parser, message, type);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
