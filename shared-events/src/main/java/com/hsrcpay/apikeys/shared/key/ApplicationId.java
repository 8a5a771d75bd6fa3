package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The application (integration) a key may belong to. */
public record ApplicationId(UUID value) {

    public ApplicationId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ApplicationId of(String value) {
        return new ApplicationId(UUID.fromString(value));
    }

    public static Optional<ApplicationId> parse(String text) {
        return Uuids.parseCanonical(text).map(ApplicationId::new);
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
