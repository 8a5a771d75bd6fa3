package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyFold;
import com.hsrcpay.apikeys.shared.event.KeyState;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One key as the key-list projection holds it: its {@code api_key} row and its usable secrets ({@code key_secret}),
 * loaded at the start of a batch as a {@link KeyState} and moved forward by the batch's events in memory with the one
 * fold ({@link KeyFold}), so a batch writes each touched row once. The projection's own rule: an event at or below
 * the row's version changes nothing (redelivery is harmless), except that a secret it stopped is always taken out.
 */
final class ProjectedKey {

    final UUID keyId;
    private KeyState state;
    private boolean changed;
    private final Map<String, Instant> loadedSecrets;

    ProjectedKey(UUID keyId, KeyState loaded) {
        this.keyId = keyId;
        this.state = loaded;
        this.loadedSecrets = loaded == null ? Map.of() : new HashMap<>(loaded.usableSecrets());
    }

    void apply(KeyEvent event, long sequence) {
        long version = sequence + 1;
        if (state == null) {
            // the key's first event; anything else before it (never in per-key order) has nothing to move
            if (event instanceof KeyCreated) {
                state = atVersion(KeyFold.evolve(null, event), version);
                changed = true;
            }
            return;
        }
        if (version > state.version()) {
            state = atVersion(KeyFold.evolve(state, event), version);
            changed = true;
            return;
        }
        Set<String> stopped = KeyFold.secretsStopped(event);
        if (stopped.stream().anyMatch(state.usableSecrets()::containsKey)) {
            Map<String, Instant> secrets = new LinkedHashMap<>(state.usableSecrets());
            stopped.forEach(secrets::remove);
            state = withSecrets(state, secrets);
        }
    }

    /** The state to write as the row, or null when the batch did not move it. */
    KeyState changedState() {
        return changed ? state : null;
    }

    /** Secrets that were usable before the batch and are not any more. */
    Set<String> removedSecrets() {
        Map<String, Instant> now = state == null ? Map.of() : state.usableSecrets();
        return loadedSecrets.keySet().stream().filter(sha -> !now.containsKey(sha)).collect(Collectors.toSet());
    }

    /** Secrets that are new or whose end changed, with their end (null: none). */
    Map<String, Instant> upsertedSecrets() {
        Map<String, Instant> upserts = new HashMap<>();
        if (state != null) {
            state.usableSecrets().forEach((sha, validUntil) -> {
                if (!loadedSecrets.containsKey(sha) || !Objects.equals(loadedSecrets.get(sha), validUntil)) {
                    upserts.put(sha, validUntil);
                }
            });
        }
        return upserts;
    }

    // the row's version is the event's: one per event, whatever the fold counted
    private static KeyState atVersion(KeyState s, long version) {
        return s.version() == version ? s : new KeyState(s.keyId(), s.accountId(), s.mode(), s.applicationId(),
                s.name(), s.type(), s.secretHint(), s.permissions(), s.metadata(), s.status(), s.expiresAt(),
                s.managed(), s.deleted(), s.createdAt(), s.updatedAt(), version, s.usableSecrets(), s.ratelimits(),
                s.credits(), s.lastRefillAt());
    }

    private static KeyState withSecrets(KeyState s, Map<String, Instant> secrets) {
        return new KeyState(s.keyId(), s.accountId(), s.mode(), s.applicationId(), s.name(), s.type(),
                s.secretHint(), s.permissions(), s.metadata(), s.status(), s.expiresAt(), s.managed(), s.deleted(),
                s.createdAt(), s.updatedAt(), s.version(), secrets, s.ratelimits(), s.credits(), s.lastRefillAt());
    }
}
