package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one fold of a key's events: {@code evolve(state, event)}, pure, exhaustive over the event types (a visitor, so
 * a new type does not compile until it is folded here). The aggregate, the history and {@code as_of}, and the key-list
 * projection all fold with it; each adds only what is its own (deadline ids, the projection's redelivery guard).
 */
public final class KeyFold {

    private KeyFold() {
    }

    /** The key after {@code event}; {@code state} is null before the key's creation. */
    public static KeyState evolve(KeyState state, KeyEvent event) {
        if (state == null && !(event instanceof KeyCreated)) {
            throw new IllegalArgumentException("The first event of a key is its creation, not "
                    + event.getClass().getSimpleName());
        }
        return event.accept(new Evolution(state));
    }

    /** The secrets {@code event} stops (for good), whatever the state: a redelivered event still takes them out. */
    public static Set<String> secretsStopped(KeyEvent event) {
        return event.accept(new KeyEvent.Visitor<Set<String>>() {
            @Override
            public Set<String> created(KeyCreated e) {
                return Set.of();
            }

            @Override
            public Set<String> secretRotated(SecretRotated e) {
                return Set.copyOf(e.stoppedSecretSha256s());
            }

            @Override
            public Set<String> secretRetired(SecretRetired e) {
                return Set.of(e.retiredSecretSha256());
            }

            @Override
            public Set<String> updated(KeyUpdated e) {
                return Set.of();
            }

            @Override
            public Set<String> deactivated(KeyDeactivated e) {
                return Set.of();
            }

            @Override
            public Set<String> activated(KeyActivated e) {
                return Set.of();
            }

            @Override
            public Set<String> revoked(KeyRevoked e) {
                return Set.copyOf(e.revokedSecretSha256s());
            }

            @Override
            public Set<String> deleted(KeyDeleted e) {
                return Set.copyOf(e.revokedSecretSha256s());
            }

            @Override
            public Set<String> expired(KeyExpired e) {
                return Set.copyOf(e.revokedSecretSha256s());
            }

            @Override
            public Set<String> exposed(KeyExposed e) {
                return Set.copyOf(e.revokedSecretSha256s());
            }

            @Override
            public Set<String> creditsAdjusted(CreditsAdjusted e) {
                return Set.of();
            }

            @Override
            public Set<String> creditsRefilled(CreditsRefilled e) {
                return Set.of();
            }
        });
    }

    private static final class Evolution implements KeyEvent.Visitor<KeyState> {

        private final KeyState s;

        Evolution(KeyState state) {
            this.s = state;
        }

        @Override
        public KeyState created(KeyCreated e) {
            Map<String, Instant> secrets = new LinkedHashMap<>();
            secrets.put(e.secret().sha256(), null);
            return new KeyState(e.keyId(), e.accountId(), e.mode(), e.applicationId(), e.name(), e.type(),
                    e.secret().hint(), e.permissions(), e.metadata(), KeyStatus.ACTIVE, e.expiresAt(), e.managed(),
                    false, e.occurredAt(), e.occurredAt(), 1, secrets, e.ratelimits(), e.credits(), null);
        }

        @Override
        public KeyState secretRotated(SecretRotated e) {
            Map<String, Instant> secrets = new LinkedHashMap<>(s.usableSecrets());
            if (secrets.containsKey(e.previousSecretSha256())) {
                secrets.put(e.previousSecretSha256(), e.previousSecretValidUntil()); // its grace
            }
            e.stoppedSecretSha256s().forEach(secrets::remove);
            secrets.put(e.newSecret().sha256(), null);
            return next(e, s.name(), e.newSecret().hint(), s.permissions(), s.metadata(), s.status(), s.expiresAt(),
                    s.deleted(), secrets);
        }

        @Override
        public KeyState secretRetired(SecretRetired e) {
            Map<String, Instant> secrets = new LinkedHashMap<>(s.usableSecrets());
            secrets.remove(e.retiredSecretSha256());
            return next(e, s.name(), s.secretHint(), s.permissions(), s.metadata(), s.status(), s.expiresAt(),
                    s.deleted(), secrets);
        }

        @Override
        public KeyState updated(KeyUpdated e) {
            KeyChanges c = e.changes();
            KeyState renamed = next(e, c.name() == null ? s.name() : c.name().after(), s.secretHint(),
                    c.permissions() == null ? s.permissions() : c.permissions().after(),
                    c.metadata() == null ? s.metadata() : c.metadata().after(), s.status(),
                    c.expiresAt() == null ? s.expiresAt() : c.expiresAt().after(), s.deleted(), s.usableSecrets());
            return withUsage(renamed, c.ratelimits() == null ? s.ratelimits() : c.ratelimits().after(),
                    c.credits() == null ? s.credits() : c.credits().after());
        }

        @Override
        public KeyState creditsAdjusted(CreditsAdjusted e) {
            KeyState next = withStatus(e, s.status());
            long before = s.credits() == null ? 0 : s.credits().remaining();
            long after = switch (e.operation()) {
                case SET -> e.amount();
                case INCREMENT -> Math.min(Credits.MAX_REMAINING, before + e.amount());
                case DECREMENT -> Math.max(0, before - e.amount());
            };
            // a set on an unlimited key limits it, without a refill
            return withUsage(next, s.ratelimits(), new Credits(after, s.credits() == null ? null : s.credits().refill()));
        }

        @Override
        public KeyState creditsRefilled(CreditsRefilled e) {
            KeyState next = withStatus(e, s.status());
            // a refill restores the quota; one that came due for a key no longer refilled still says what it did
            Credits.Refill refill = s.credits() == null ? null : s.credits().refill();
            return withUsage(next, s.ratelimits(), new Credits(e.amount(), refill), e.occurredAt());
        }

        private static KeyState withUsage(KeyState k, List<RateLimit> ratelimits, Credits credits) {
            return withUsage(k, ratelimits, credits, k.lastRefillAt());
        }

        private static KeyState withUsage(KeyState k, List<RateLimit> ratelimits, Credits credits,
                                          Instant lastRefillAt) {
            return new KeyState(k.keyId(), k.accountId(), k.mode(), k.applicationId(), k.name(), k.type(),
                    k.secretHint(), k.permissions(), k.metadata(), k.status(), k.expiresAt(), k.managed(), k.deleted(),
                    k.createdAt(), k.updatedAt(), k.version(), k.usableSecrets(), ratelimits, credits, lastRefillAt);
        }

        @Override
        public KeyState deactivated(KeyDeactivated e) {
            return withStatus(e, KeyStatus.INACTIVE);
        }

        @Override
        public KeyState activated(KeyActivated e) {
            return withStatus(e, KeyStatus.ACTIVE);
        }

        @Override
        public KeyState revoked(KeyRevoked e) {
            return terminated(e, KeyStatus.REVOKED, false);
        }

        @Override
        public KeyState deleted(KeyDeleted e) {
            return terminated(e, KeyStatus.REVOKED, true);
        }

        @Override
        public KeyState expired(KeyExpired e) {
            return terminated(e, KeyStatus.EXPIRED, false);
        }

        @Override
        public KeyState exposed(KeyExposed e) {
            return terminated(e, KeyStatus.REVOKED, false);
        }

        private KeyState withStatus(KeyEvent e, KeyStatus status) {
            return next(e, s.name(), s.secretHint(), s.permissions(), s.metadata(), status, s.expiresAt(), s.deleted(),
                    s.usableSecrets());
        }

        private KeyState terminated(KeyTerminated e, KeyStatus status, boolean deleted) {
            return next(e, s.name(), s.secretHint(), s.permissions(), s.metadata(), status, s.expiresAt(),
                    s.deleted() || deleted, Map.of());
        }

        private KeyState next(KeyEvent e, String name, String hint, Permissions permissions,
                              Map<String, Object> metadata, KeyStatus status, Instant expiresAt, boolean deleted,
                              Map<String, Instant> secrets) {
            Objects.requireNonNull(s);
            return new KeyState(s.keyId(), s.accountId(), s.mode(), s.applicationId(), name, s.type(), hint,
                    permissions, metadata, status, expiresAt, s.managed(), deleted, s.createdAt(), e.occurredAt(),
                    s.version() + 1, secrets, s.ratelimits(), s.credits(), s.lastRefillAt());
        }
    }
}
