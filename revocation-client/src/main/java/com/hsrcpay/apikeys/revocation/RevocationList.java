package com.hsrcpay.apikeys.revocation;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory deny-list: every secret hash and key id that a {@link KeyRevocation} has revoked. It only grows;
 * nothing un-revokes an entry.
 *
 * <p>Reads ({@link #isRevoked(String)}, {@link #isRevokedHash(String)}, {@link #isKeyRevoked(UUID)}) are lock-free
 * and safe from any thread; {@link #isRevoked(String)} hashes the presented secret with a per-thread digest and
 * buffers, so it allocates nothing for ASCII secrets of ordinary length. Writes ({@link #apply}) are serialised.
 *
 * <p>A secret unknown to this list is not thereby valid: it must still be verified by the key service.
 */
public final class RevocationList {

    /** How many event ids {@link #apply} remembers for recognising redelivered records. */
    public static final int DEFAULT_REMEMBERED_EVENT_IDS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RevocationList.class);

    /** Longer presented strings are hashed through a temporary byte array rather than grow the per-thread buffer. */
    private static final int MAX_BUFFERED_CHARS = 256;

    private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::new);

    private final Set<Sha256Key> revokedSecrets = ConcurrentHashMap.newKeySet();
    private final Set<UUID> revokedKeys = ConcurrentHashMap.newKeySet();
    /** Least recently seen first; guarded by {@code this}. */
    private final LinkedHashMap<String, Boolean> recentEventIds;

    public RevocationList() {
        this(DEFAULT_REMEMBERED_EVENT_IDS);
    }

    /** @param rememberedEventIds how many of the most recent event ids to remember for deduplication (at least 1) */
    public RevocationList(int rememberedEventIds) {
        if (rememberedEventIds < 1) {
            throw new IllegalArgumentException("rememberedEventIds must be at least 1");
        }
        this.recentEventIds = new LinkedHashMap<>(Math.min(rememberedEventIds, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > rememberedEventIds;
            }
        };
    }

    /**
     * Whether the presented plaintext secret has been revoked (by a revocation of its key or by a rotation).
     * False for null and for anything the list does not know, including malformed secrets.
     */
    public boolean isRevoked(String presentedSecret) {
        if (presentedSecret == null || revokedSecrets.isEmpty()) {
            return false;
        }
        return revokedSecrets.contains(PROBE.get().hash(presentedSecret));
    }

    /**
     * Whether the secret with this SHA-256 (64 hex digits, either case, as {@code SecretFormat.sha256} gives it) has
     * been revoked. False for null and for anything that is not 64 hex digits.
     */
    public boolean isRevokedHash(String sha256) {
        if (sha256 == null || revokedSecrets.isEmpty()) {
            return false;
        }
        Sha256Key probe = PROBE.get().key;
        return probe.setHex(sha256) && revokedSecrets.contains(probe);
    }

    /** Whether the key itself has been revoked, deleted or expired (a rotation does not revoke the key). */
    public boolean isKeyRevoked(UUID keyId) {
        return keyId != null && revokedKeys.contains(keyId);
    }

    /** As {@link #isKeyRevoked(UUID)}; false for null and for a string that is not a UUID. */
    public boolean isKeyRevoked(String keyId) {
        if (keyId == null || revokedKeys.isEmpty()) {
            return false;
        }
        try {
            return revokedKeys.contains(UUID.fromString(keyId));
        } catch (IllegalArgumentException notAUuid) {
            return false;
        }
    }

    /** Number of distinct revoked secret hashes. */
    public int revokedSecretCount() {
        return revokedSecrets.size();
    }

    /** Number of distinct revoked key ids. */
    public int revokedKeyCount() {
        return revokedKeys.size();
    }

    /**
     * Adds what the revocation revokes: {@code secret_sha256} and every hash of {@code revoked_secret_sha256s}, and
     * the key id unless the record stops one secret of a key that lives on ({@code key_revoked} false and reason
     * {@code rotated}, {@code exposed} or absent).
     * Hashes that are not 64 hex digits and a key id that is not a UUID are skipped with a warning.
     *
     * @return whether the list changed; false for a redelivered record (an event id seen recently, or content
     *         already known, since applying a record twice is idempotent)
     */
    public boolean apply(KeyRevocation revocation) {
        return applyWithOutcome(revocation) == Outcome.APPLIED;
    }

    /** What {@link #apply} did with one record. */
    enum Outcome {
        /** The list changed. */
        APPLIED,
        /** The event id was seen recently: nothing was looked at. */
        DUPLICATE_EVENT,
        /** A new event id whose content was already known (e.g. a redelivery after its id was forgotten). */
        NO_CHANGE,
        /** Neither a usable secret hash nor a usable key id to revoke. */
        INVALID
    }

    synchronized Outcome applyWithOutcome(KeyRevocation revocation) {
        Objects.requireNonNull(revocation, "revocation");
        String eventId = revocation.eventId();
        if (eventId != null && recentEventIds.get(eventId) != null) { // get: also refreshes its LRU position
            return Outcome.DUPLICATE_EVENT;
        }

        List<Sha256Key> hashes = new ArrayList<>();
        int malformedHashes = addHash(revocation.secretSha256(), hashes);
        if (revocation.revokedSecretSha256s() != null) {
            for (String hash : revocation.revokedSecretSha256s()) {
                malformedHashes += addHash(hash, hashes);
            }
        }
        UUID keyId = null;
        boolean keyIdMalformed = false;
        if (revokesKey(revocation)) {
            keyId = parseUuid(revocation.keyId());
            keyIdMalformed = keyId == null;
        }
        if (malformedHashes > 0 || keyIdMalformed) {
            log.warn("Revocation event {} of key {}: ignoring {} secret hash(es) that are not 64 hex digits{}",
                    eventId, revocation.keyId(), malformedHashes,
                    keyIdMalformed ? " and a key id that is not a UUID" : "");
        }
        if (hashes.isEmpty() && keyId == null) {
            return Outcome.INVALID;
        }

        boolean changed = false;
        for (Sha256Key hash : hashes) {
            changed |= revokedSecrets.add(hash);
        }
        if (keyId != null) {
            changed |= revokedKeys.add(keyId);
        }
        if (eventId != null) {
            recentEventIds.put(eventId, Boolean.TRUE);
        }
        return changed ? Outcome.APPLIED : Outcome.NO_CHANGE;
    }

    /**
     * A rotation keeps the key alive, and so does a previous secret exposed during its rotation grace (only that
     * secret stops). {@code key_revoked} false is taken as such only when the reason agrees (rotated, exposed or
     * absent): a record from a producer that left out {@code key_revoked} but says {@code revoked}, {@code deleted}
     * or {@code expired} still revokes the key; on a deny-list the safe side is to revoke. Its hashes are denied
     * either way.
     */
    private static boolean revokesKey(KeyRevocation revocation) {
        KeyRevocation.Reason reason = revocation.reason();
        return revocation.keyRevoked() || (reason != null && reason != KeyRevocation.Reason.ROTATED
                && reason != KeyRevocation.Reason.EXPOSED);
    }

    private static int addHash(String hex, List<Sha256Key> into) {
        if (hex == null) {
            return 0;
        }
        Sha256Key key = Sha256Key.parseHex(hex);
        if (key == null) {
            return 1;
        }
        into.add(key);
        return 0;
    }

    private static UUID parseUuid(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "RevocationList[" + revokedSecretCount() + " secrets, " + revokedKeyCount() + " keys]";
    }

    /** Per-thread hashing state: a digest, buffers and a reusable lookup key. */
    private static final class Probe {

        private final MessageDigest digest;
        private final byte[] out = new byte[Sha256Key.BYTES];
        private byte[] buffer = new byte[64];
        final Sha256Key key = new Sha256Key();

        Probe() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every JVM", e);
            }
        }

        /** The SHA-256 of the UTF-8 bytes of {@code text}, as {@code SecretFormat.sha256} computes it. */
        Sha256Key hash(String text) {
            digest.reset();
            int length = text.length();
            if (length <= MAX_BUFFERED_CHARS && ascii(text, length)) {
                digest.update(buffer, 0, length);
            } else {
                digest.update(text.getBytes(StandardCharsets.UTF_8));
            }
            try {
                digest.digest(out, 0, Sha256Key.BYTES);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 digest into a 32-byte buffer failed", e);
            }
            key.setBytes(out);
            return key;
        }

        /** Copies {@code text} into the buffer as bytes; false if it holds a non-ASCII character. */
        private boolean ascii(String text, int length) {
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            byte[] bytes = buffer;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    return false;
                }
                bytes[i] = (byte) c;
            }
            return true;
        }
    }
}
