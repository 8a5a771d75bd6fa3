package com.hsrcpay.apikeys.shared.key;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resource to actions, e.g. {@code {"account:api:key": ["read", "create"]}}.
 * The one place that decides whether a map grants a permission such as {@code account:api:key:delete}.
 */
public record Permissions(Map<String, List<String>> grants) {

    public static final String WILDCARD = "*";
    /** The resource namespace of the platform's own service tokens: never in a key's map, never granted to a key. */
    public static final String RESERVED_NAMESPACE = "platform";

    public Permissions {
        // sorted and immutable: equal maps serialize identically (idempotency fingerprints, hash chains)
        TreeMap<String, List<String>> copy = new TreeMap<>();
        grants.forEach((resource, actions) -> copy.put(resource, List.copyOf(actions)));
        grants = java.util.Collections.unmodifiableMap(copy);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Permissions of(Map<String, List<String>> grants) {
        return new Permissions(grants);
    }

    public static Permissions none() {
        return new Permissions(Map.of());
    }

    /**
     * Builds a map from permission strings such as {@code account:api:key:read} (the JWT form);
     * {@code *} alone grants everything.
     */
    public static Permissions fromStrings(Collection<String> permissions) {
        Map<String, List<String>> grants = new TreeMap<>();
        for (String permission : permissions) {
            if (permission == null || permission.isBlank()) {
                continue;
            }
            String p = permission.trim();
            int split = p.lastIndexOf(':');
            String resource = split < 0 ? WILDCARD : p.substring(0, split);
            String action = split < 0 ? p : p.substring(split + 1);
            if (split < 0 && !WILDCARD.equals(p)) {
                continue; // not of the form resource:action
            }
            grants.computeIfAbsent(resource, r -> new java.util.ArrayList<>()).add(action);
        }
        return new Permissions(grants);
    }

    /** True when the map grants {@code permission} ({@code a:b:c:d}): entry {@code a:b:c} holds d or *, or entry * holds *. */
    public boolean allows(String permission) {
        int split = permission.lastIndexOf(':');
        if (split <= 0) {
            return false;
        }
        String resource = permission.substring(0, split);
        String action = permission.substring(split + 1);
        List<String> actions = grants.get(resource);
        if (actions != null && (actions.contains(action) || actions.contains(WILDCARD))) {
            return true;
        }
        List<String> everything = grants.get(WILDCARD);
        return everything != null && everything.contains(WILDCARD);
    }

    /**
     * True when the map holds {@code action} on {@code resource} as such, wildcards read literally: a {@code *} action
     * is held only by the same {@code *} on that resource or by {@code *: [*]}, and a {@code *} resource only by a
     * {@code *} resource entry. What a credential must hold to grant that entry to a key.
     */
    public boolean holds(String resource, String action) {
        List<String> everything = grants.get(WILDCARD);
        if (everything != null && everything.contains(WILDCARD)) {
            return true;
        }
        List<String> actions = grants.get(resource);
        return actions != null && (actions.contains(action) || actions.contains(WILDCARD));
    }

    /** As {@link #allows}, for a key's own map: a key never holds a permission of the reserved namespace. */
    public boolean allowsAsKey(String permission) {
        return !isReserved(permission) && allows(permission);
    }

    /** Whether a resource or a permission ({@code platform}, {@code platform:…}) is of the reserved namespace. */
    public static boolean isReserved(String resourceOrPermission) {
        return resourceOrPermission.equals(RESERVED_NAMESPACE)
                || resourceOrPermission.startsWith(RESERVED_NAMESPACE + ":");
    }

    @JsonValue
    public Map<String, List<String>> grants() {
        return grants;
    }
}
