package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.revocation.RevocationList;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The one judgement of a presented key, case by case, without a database: the lookup is a map here. */
class KeyVerifierTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final String READ = "account:api:key:read";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, KeyRecord> live = new HashMap<>();
    private final Map<String, DeadSecret> dead = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final RevocationList denyList = new RevocationList();
    private final MutableClock clock = new MutableClock(NOW);
    private final KeyVerifier verifier = new KeyVerifier(new KeyLookup(null) {
        @Override
        public Optional<KeyRecord> bySecret(String sha256) {
            lookups.incrementAndGet();
            return Optional.ofNullable(live.get(sha256));
        }

        @Override
        public Optional<DeadSecret> deadSecret(String sha256) {
            return Optional.ofNullable(dead.get(sha256));
        }
    }, denyList, clock, 1000, Duration.ofMinutes(5));

    private String key(KeyStatus status, boolean deleted, Instant expiresAt, Instant validUntil, Permissions permissions) {
        IssuedSecret secret = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random);
        String sha = secret.fingerprint().sha256();
        live.put(sha, new KeyRecord(UUID.randomUUID(), "acct_1", Mode.LIVE, KeyType.SECRET, permissions, status, deleted,
                expiresAt, validUntil, sha));
        return secret.plaintext();
    }

    private String activeKey() {
        return key(KeyStatus.ACTIVE, false, null, null, Permissions.of(Map.of("account:api:key", List.of("read"))));
    }

    private VerificationCode code(String presented, String permission) {
        return verifier.verify(presented, permission).code();
    }

    @Test
    void anActiveKeyIsValidAndCarriesItsOwner() {
        String key = activeKey();
        Verification verification = verifier.verify(key, READ);
        assertThat(verification.code()).isEqualTo(VerificationCode.VALID);
        assertThat(verification.visibleTo("acct_1", Mode.LIVE)).isTrue();
        assertThat(verification.visibleTo("acct_2", Mode.LIVE)).isFalse();
        assertThat(verification.visibleTo("acct_1", Mode.TEST)).isFalse();
    }

    @Test
    void eachStateOfTheKeyHasItsCode() {
        Permissions read = Permissions.of(Map.of("account:api:key", List.of("read")));
        assertThat(code(key(KeyStatus.INACTIVE, false, null, null, read), null)).isEqualTo(VerificationCode.INACTIVE);
        assertThat(code(key(KeyStatus.EXPIRED, false, null, null, read), null)).isEqualTo(VerificationCode.EXPIRED);
        assertThat(code(key(KeyStatus.ACTIVE, false, NOW, null, read), null))
                .as("expired from the instant expires_at passes, event or not").isEqualTo(VerificationCode.EXPIRED);
        assertThat(code(key(KeyStatus.ACTIVE, false, NOW.plusSeconds(1), null, read), null))
                .isEqualTo(VerificationCode.VALID);
        assertThat(code(key(KeyStatus.REVOKED, false, null, null, read), null)).isEqualTo(VerificationCode.REVOKED);
        assertThat(code(key(KeyStatus.REVOKED, true, null, null, read), null)).isEqualTo(VerificationCode.REVOKED);
        assertThat(code(key(KeyStatus.ACTIVE, false, null, NOW, read), null))
                .as("a rotated-out secret whose grace is over").isEqualTo(VerificationCode.REVOKED);
        assertThat(code(key(KeyStatus.ACTIVE, false, null, NOW.plusSeconds(60), read), null))
                .as("in its grace").isEqualTo(VerificationCode.VALID);
    }

    @Test
    void aMissingPermissionIsForbiddenAndThePlatformNamespaceNeverHeld() {
        String key = activeKey();
        assertThat(code(key, "account:api:key:delete")).isEqualTo(VerificationCode.FORBIDDEN);
        String everything = key(KeyStatus.ACTIVE, false, null, null, Permissions.fromStrings(List.of("*")));
        assertThat(code(everything, "account:api:key:delete")).isEqualTo(VerificationCode.VALID);
        assertThat(code(everything, "platform:api:key:verify")).isEqualTo(VerificationCode.FORBIDDEN);
    }

    @Test
    void malformedAndUnknownKeysAreNotFoundAndMalformedOnesCostNoLookup() {
        assertThat(code("sk_live_nope", null)).isEqualTo(VerificationCode.NOT_FOUND);
        assertThat(code("", null)).isEqualTo(VerificationCode.NOT_FOUND);
        assertThat(lookups).hasValue(0);
        assertThat(code(SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext(), null))
                .isEqualTo(VerificationCode.NOT_FOUND);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aDeadSecretSaysWhyAndWhoseItWas() {
        String expired = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext();
        dead.put(SecretFormat.sha256(expired), new DeadSecret("expired", new KeyOwner("acct_1", Mode.LIVE)));
        Verification verification = verifier.verify(expired, null);
        assertThat(verification.code()).isEqualTo(VerificationCode.EXPIRED);
        assertThat(verification.key()).isNull();
        assertThat(verification.visibleTo("acct_1", Mode.LIVE)).isTrue();
        assertThat(verification.visibleTo("acct_2", Mode.LIVE)).isFalse();

        String deleted = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext();
        dead.put(SecretFormat.sha256(deleted), new DeadSecret("deleted", new KeyOwner("acct_1", Mode.LIVE)));
        assertThat(code(deleted, null)).isEqualTo(VerificationCode.REVOKED);
    }

    @Test
    void theDenyListRefusesAKeyTheReadModelStillShowsActive() {
        String key = activeKey();
        KeyRecord record = live.get(SecretFormat.sha256(key));
        assertThat(code(key, null)).isEqualTo(VerificationCode.VALID);
        denyList.apply(new KeyRevocation("e1", record.keyId().toString(), "acct_1", null, "live",
                record.secretSha256(), List.of(record.secretSha256()), KeyRevocation.Reason.DELETED, true, NOW));
        assertThat(code(key, null)).isEqualTo(VerificationCode.REVOKED);

        String unknownButDenied = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext();
        String sha = SecretFormat.sha256(unknownButDenied);
        denyList.apply(new KeyRevocation("e2", UUID.randomUUID().toString(), "acct_2", null, "live", sha,
                List.of(sha), KeyRevocation.Reason.REVOKED, true, NOW));
        Verification beforeTheReadModel = verifier.verify(unknownButDenied, null);
        assertThat(beforeTheReadModel.code()).isEqualTo(VerificationCode.REVOKED);
        assertThat(beforeTheReadModel.owner()).as("whose is not known yet: visible to no account").isNull();
    }

    @Test
    void aCachedKeyIsLookedUpOnceUntilItChanges() {
        String key = activeKey();
        KeyRecord record = live.get(SecretFormat.sha256(key));
        verifier.verify(key, null);
        verifier.verify(key, null);
        verifier.verify(key, null);
        assertThat(lookups).hasValue(1);

        verifier.keyChanged(record.keyId());
        live.put(record.secretSha256(), new KeyRecord(record.keyId(), "acct_1", Mode.LIVE, KeyType.SECRET,
                record.permissions(), KeyStatus.INACTIVE, false, null, null, record.secretSha256()));
        assertThat(code(key, null)).as("a change evicts at once").isEqualTo(VerificationCode.INACTIVE);
        assertThat(code(key, null)).isEqualTo(VerificationCode.INACTIVE);
        assertThat(lookups).as("not cached while the read model may still be catching up").hasValue(3);
        clock.advance(Duration.ofSeconds(3));
        code(key, null);
        code(key, null);
        assertThat(lookups).as("settled: cached again").hasValue(4);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
