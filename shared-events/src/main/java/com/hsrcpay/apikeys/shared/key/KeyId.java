package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Identity of one API key; also the aggregate identifier and the Kafka record key. */
public record KeyId(UUID value) {

    public KeyId {
        Objects.requireNonNull(value, "value");
    }

    public static KeyId newId() {
        return new KeyId(UUID.randomUUID());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static KeyId of(String value) {
        return new KeyId(UUID.fromString(value));
    }

    /** Empty unless {@code text} is a UUID in canonical form: a path id that is not a UUID is simply unknown. */
    public static Optional<KeyId> parse(String text) {
        return Uuids.parseCanonical(text).map(KeyId::new);
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
