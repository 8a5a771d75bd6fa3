package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Live data and sandbox data never mix: every key, command and event carries its mode. */
public enum Mode {
    LIVE, TEST;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Mode fromWire(String value) {
        return Mode.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
