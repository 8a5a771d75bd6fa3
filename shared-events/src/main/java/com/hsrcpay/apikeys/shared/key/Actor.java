package com.hsrcpay.apikeys.shared.key;

import java.util.Objects;

/** Who caused a change: recorded on every event, never a secret. */
public record Actor(Type type, String id) {

    public enum Type { USER, API_KEY, SERVICE, SYSTEM }

    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Actor system(String id) {
        return new Actor(Type.SYSTEM, id);
    }
}
