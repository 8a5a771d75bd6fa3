package com.hsrcpay.apikeys.verification;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hsrcpay.apikeys.revocation.RevocationList;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that decides whether a presented key is valid. Fast path: a bounded in-memory cache of keys
 * by secret hash, plus the revocation deny-list fed by Kafka; a cached key is dropped as soon as any event of
 * that key is seen on Kafka, so a revocation or deactivation takes effect within the revocation latency, not
 * after a TTL. Slow path: the read model's key lookup.
 */
public class KeyVerifier {

    /** After a change of a key, lookups are not cached for this long: the read model may still be catching up. */
    private static final Duration SETTLING = Duration.ofSeconds(2);

    private final KeyLookup lookup;
    private final RevocationList revocations;
    private final Clock clock;
    private final Cache<String, KeyRecord> keysBySecret;
    private final Map<UUID, Set<String>> secretsByKey = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> changedAt = new ConcurrentHashMap<>();

    public KeyVerifier(KeyLookup lookup, RevocationList revocations, Clock clock, long maxCachedKeys, Duration maxAge) {
        this.lookup = lookup;
        this.revocations = revocations;
        this.clock = clock;
        this.keysBySecret = Caffeine.newBuilder()
                .maximumSize(maxCachedKeys)
                .expireAfterWrite(maxAge)
                .recordStats()
                .removalListener((String hash, KeyRecord key, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (key != null) {
                        secretsByKey.computeIfPresent(key.keyId(), (id, hashes) -> {
                            hashes.remove(hash);
                            return hashes.isEmpty() ? null : hashes;
                        });
                    }
                })
                .build();
    }

    /** Verifies {@code presented}; {@code requiredPermission} (may be null) must be granted for VALID. */
    public Verification verify(String presented, String requiredPermission) {
        Optional<SecretFormat.PresentedKey> parsed = SecretFormat.parse(presented);
        if (parsed.isEmpty()) {
            return Verification.NOT_FOUND; // no lookup for a malformed key
        }
        return verifyHash(parsed.get().sha256(), requiredPermission);
    }

    public Verification verifyHash(String sha256, String requiredPermission) {
        Instant now = clock.instant();
        KeyRecord key = keyHolding(sha256, now).orElse(null);
        if (key == null) {
            Optional<DeadSecret> dead = lookup.deadSecret(sha256);
            if (dead.isPresent()) {
                return new Verification(dead.get().code(), null, dead.get().owner());
            }
            // on the deny-list before the read model has it: dead, whose unknown yet
            return revocations.isRevokedHash(sha256)
                    ? new Verification(VerificationCode.REVOKED, null, null) : Verification.NOT_FOUND;
        }
        return Verification.of(judge(key, sha256, requiredPermission, now), key);
    }

    /**
     * Whose secret {@code sha256} is, for an exposure report: the key that still holds it (whatever its status: the
     * key's own rules decide what a report does), or, for a secret that no longer works, that it was ours. Through the
     * same cache and lookup as {@link #verifyHash}: one way to find a key by its secret.
     */
    public SecretOwnership ownership(String sha256) {
        Optional<KeyRecord> key = keyHolding(sha256, clock.instant());
        if (key.isPresent()) {
            return new SecretOwnership(true, key.get());
        }
        return new SecretOwnership(lookup.deadSecret(sha256).isPresent() || revocations.isRevokedHash(sha256), null);
    }

    /** Ours: a secret this service issued, working or not; {@code key}: the key that still holds it, if any. */
    public record SecretOwnership(boolean ours, KeyRecord key) {
    }

    /** The key holding the secret, from the cache or the read model's lookup (cached once the key settled). */
    private Optional<KeyRecord> keyHolding(String sha256, Instant now) {
        KeyRecord key = keysBySecret.getIfPresent(sha256);
        if (key == null) {
            key = lookup.bySecret(sha256).orElse(null);
            if (key != null && settled(key.keyId(), now)) {
                remember(sha256, key);
            }
        }
        if (key == null || !MessageDigest.isEqual(bytes(key.secretSha256()), bytes(sha256))) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    private VerificationCode judge(KeyRecord key, String sha256, String requiredPermission, Instant now) {
        if (key.deleted() || key.status() == KeyStatus.REVOKED || revocations.isKeyRevoked(key.keyId())) {
            return VerificationCode.REVOKED;
        }
        if (key.status() == KeyStatus.EXPIRED || (key.expiresAt() != null && !key.expiresAt().isAfter(now))) {
            return VerificationCode.EXPIRED; // refused from the instant expires_at passes, event or not
        }
        if (revocations.isRevokedHash(sha256)
                || (key.secretValidUntil() != null && !key.secretValidUntil().isAfter(now))) {
            return VerificationCode.REVOKED; // a rotated-out secret, its grace over
        }
        if (key.status() == KeyStatus.INACTIVE) {
            return VerificationCode.INACTIVE;
        }
        if (requiredPermission != null && !key.permissions().allowsAsKey(requiredPermission)) {
            return VerificationCode.FORBIDDEN;
        }
        return VerificationCode.VALID;
    }

    /** Any event of a key (seen on Kafka): forget what is cached about it. */
    public void keyChanged(UUID keyId) {
        changedAt.put(keyId, clock.instant());
        Set<String> hashes = secretsByKey.remove(keyId);
        if (hashes != null) {
            keysBySecret.invalidateAll(hashes);
        }
        changedAt.entrySet().removeIf(e -> e.getValue().isBefore(clock.instant().minus(SETTLING)));
    }

    public double cacheHitRatio() {
        return keysBySecret.stats().hitRate();
    }

    private boolean settled(UUID keyId, Instant now) {
        Instant changed = changedAt.get(keyId);
        return changed == null || changed.plus(SETTLING).isBefore(now);
    }

    private void remember(String sha256, KeyRecord key) {
        secretsByKey.computeIfAbsent(key.keyId(), id -> ConcurrentHashMap.newKeySet()).add(sha256);
        keysBySecret.put(sha256, key);
    }

    private static byte[] bytes(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }
}
