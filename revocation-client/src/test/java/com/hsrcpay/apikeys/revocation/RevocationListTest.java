package com.hsrcpay.apikeys.revocation;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.message.KeyRevocation.Reason;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RevocationListTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RevocationList list = new RevocationList();

    @Test
    void revocationRevokesTheSecretAndTheKey() {
        String secret = newSecret();
        String otherSecret = newSecret();
        UUID keyId = UUID.randomUUID();

        boolean changed = list.apply(revocation(keyId, Reason.REVOKED, true, secret));

        assertThat(changed).isTrue();
        assertThat(list.isRevoked(secret)).isTrue();
        assertThat(list.isRevokedHash(SecretFormat.sha256(secret))).isTrue();
        assertThat(list.isRevokedHash(SecretFormat.sha256(secret).toUpperCase(Locale.ROOT))).isTrue();
        assertThat(list.isKeyRevoked(keyId)).isTrue();
        assertThat(list.isKeyRevoked(keyId.toString())).isTrue();
        assertThat(list.isKeyRevoked(keyId.toString().toUpperCase(Locale.ROOT))).isTrue();

        assertThat(list.isRevoked(otherSecret)).isFalse();
        assertThat(list.isRevokedHash(SecretFormat.sha256(otherSecret))).isFalse();
        assertThat(list.isKeyRevoked(UUID.randomUUID())).isFalse();
        assertThat(list.revokedSecretCount()).isEqualTo(1);
        assertThat(list.revokedKeyCount()).isEqualTo(1);
    }

    @Test
    void rotationRevokesTheOldSecretButNotTheKey() {
        String oldSecret = newSecret();
        String newSecret = newSecret();
        UUID keyId = UUID.randomUUID();

        assertThat(list.apply(revocation(keyId, Reason.ROTATED, false, oldSecret))).isTrue();

        assertThat(list.isRevoked(oldSecret)).isTrue();
        assertThat(list.isRevoked(newSecret)).isFalse();
        assertThat(list.isKeyRevoked(keyId)).isFalse();

        // a later revocation names every dead secret of the key, and now the key itself
        assertThat(list.apply(revocation(keyId, Reason.REVOKED, true, newSecret, oldSecret))).isTrue();
        assertThat(list.isRevoked(newSecret)).isTrue();
        assertThat(list.isKeyRevoked(keyId)).isTrue();
    }

    @Test
    void anExposedGraceSecretStopsAloneAndAnExposedKeyStopsWhole() {
        String graceSecret = newSecret();
        String current = newSecret();
        UUID keyId = UUID.randomUUID();

        assertThat(list.apply(revocation(keyId, Reason.EXPOSED, false, graceSecret))).isTrue();

        assertThat(list.isRevoked(graceSecret)).isTrue();
        assertThat(list.isRevoked(current)).isFalse();
        assertThat(list.isKeyRevoked(keyId)).as("the key lives on with its current secret").isFalse();

        assertThat(list.apply(revocation(keyId, Reason.EXPOSED, true, current, graceSecret))).isTrue();
        assertThat(list.isRevoked(current)).isTrue();
        assertThat(list.isKeyRevoked(keyId)).isTrue();
    }

    @Test
    void cumulativeListRevokesEverySecretItNames() {
        String first = newSecret();
        String second = newSecret();
        String third = newSecret();
        UUID keyId = UUID.randomUUID();

        // compaction may have kept only the latest record of a key: it alone must revoke every secret
        list.apply(revocation(keyId, Reason.DELETED, true, third, first, second));

        assertThat(list.isRevoked(first)).isTrue();
        assertThat(list.isRevoked(second)).isTrue();
        assertThat(list.isRevoked(third)).isTrue();
        assertThat(list.revokedSecretCount()).isEqualTo(3);
    }

    @Test
    void redeliveredEventIdChangesNothing() {
        KeyRevocation revocation = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());

        assertThat(list.apply(revocation)).isTrue();
        assertThat(list.applyWithOutcome(revocation)).isEqualTo(RevocationList.Outcome.DUPLICATE_EVENT);
        assertThat(list.apply(revocation)).isFalse();
    }

    @Test
    void sameContentUnderANewEventIdChangesNothing() {
        KeyRevocation revocation = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());
        KeyRevocation expiredLater = withEventId(revocation, UUID.randomUUID().toString());

        list.apply(revocation);

        assertThat(list.applyWithOutcome(expiredLater)).isEqualTo(RevocationList.Outcome.NO_CHANGE);
    }

    @Test
    void rememberedEventIdsAreBounded() {
        RevocationList small = new RevocationList(2);
        KeyRevocation first = revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret());
        small.apply(first);
        small.apply(revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret()));
        small.apply(revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret()));

        // the first id is forgotten, yet applying its record again is harmless
        assertThat(small.applyWithOutcome(first)).isEqualTo(RevocationList.Outcome.NO_CHANGE);
        assertThat(small.isRevokedHash(first.secretSha256())).isTrue();
        assertThatThrownBy(() -> new RevocationList(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordWithoutEventIdIsAppliedByContent() {
        KeyRevocation revocation = withEventId(revocation(UUID.randomUUID(), Reason.EXPIRED, true, newSecret()), null);

        assertThat(list.apply(revocation)).isTrue();
        assertThat(list.applyWithOutcome(revocation)).isEqualTo(RevocationList.Outcome.NO_CHANGE);
    }

    @Test
    void missingKeyRevokedFlagDoesNotSpareAKeyWhoseReasonRevokesIt() {
        UUID keyId = UUID.randomUUID();

        // key_revoked absent from the JSON reads as false; the reason still says the key is dead
        list.apply(revocation(keyId, Reason.DELETED, false, newSecret()));

        assertThat(list.isKeyRevoked(keyId)).isTrue();
    }

    @Test
    void malformedPartsAreSkippedAndTheRestApplied() {
        String secret = newSecret();
        UUID keyId = UUID.randomUUID();
        KeyRevocation revocation = new KeyRevocation(UUID.randomUUID().toString(), keyId.toString(), null, null,
                "live", "not-a-hash", List.of(SecretFormat.sha256(secret), "abc"), Reason.REVOKED, true,
                Instant.now());

        assertThat(list.apply(revocation)).isTrue();
        assertThat(list.isRevoked(secret)).isTrue();
        assertThat(list.isKeyRevoked(keyId)).isTrue();
        assertThat(list.revokedSecretCount()).isEqualTo(1);
    }

    @Test
    void recordWithNothingToRevokeIsInvalid() {
        KeyRevocation empty = new KeyRevocation(null, null, null, null, null, null, null, null, false, null);
        KeyRevocation badKeyOnly = new KeyRevocation("e1", "not-a-uuid", null, null, null, "zz", null,
                Reason.REVOKED, true, null);

        assertThat(list.applyWithOutcome(empty)).isEqualTo(RevocationList.Outcome.INVALID);
        assertThat(list.applyWithOutcome(badKeyOnly)).isEqualTo(RevocationList.Outcome.INVALID);
        assertThat(list.revokedSecretCount()).isZero();
        assertThat(list.revokedKeyCount()).isZero();
        assertThatThrownBy(() -> list.apply(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void lookupsOfNothingAreFalse() {
        assertThat(list.isRevoked(null)).isFalse();
        assertThat(list.isRevoked(newSecret())).isFalse();
        list.apply(revocation(UUID.randomUUID(), Reason.REVOKED, true, newSecret()));

        assertThat(list.isRevoked(null)).isFalse();
        assertThat(list.isRevoked("")).isFalse();
        assertThat(list.isRevokedHash(null)).isFalse();
        assertThat(list.isRevokedHash("xyz")).isFalse();
        assertThat(list.isRevokedHash("g".repeat(64))).isFalse();
        assertThat(list.isKeyRevoked((UUID) null)).isFalse();
        assertThat(list.isKeyRevoked((String) null)).isFalse();
        assertThat(list.isKeyRevoked("not-a-uuid")).isFalse();
    }

    @Test
    void hashesExactlyAsSecretFormatDoes() {
        List<String> presented = List.of("", "a", "sk_live_" + "x".repeat(38), "päßwörd-日本-\uD83D\uDD11",
                "y".repeat(255), "y".repeat(256), "y".repeat(257), "z".repeat(5_000), newSecret());
        for (String text : presented) {
            RevocationList one = new RevocationList();
            one.apply(new KeyRevocation(null, null, null, null, null, SecretFormat.sha256(text), null,
                    Reason.ROTATED, false, null));
            assertThat(one.isRevoked(text)).as("length %d", text.length()).isTrue();
            assertThat(one.isRevoked(text + "!")).isFalse();
        }
    }

    @Test
    void isRevokedAllocatesNothingPerCall() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        String revoked = newSecret();
        String valid = newSecret();
        String revokedHash = SecretFormat.sha256(revoked);
        for (int i = 0; i < 1_000; i++) {
            list.apply(revocation(UUID.randomUUID(), Reason.REVOKED, true, i == 0 ? revoked : newSecret()));
        }
        int hits = 0;
        for (int i = 0; i < 20_000; i++) { // warm-up
            hits += lookups(revoked, valid, revokedHash);
        }

        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 10_000; i++) {
            hits += lookups(revoked, valid, revokedHash);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(hits).isEqualTo(30_000 * 2);
        // 30,000 lookups: anything per call would be at least 16 bytes each, i.e. 480 kB
        assertThat(allocated).as("bytes allocated by 30,000 lookups").isLessThan(4_096);
    }

    private int lookups(String revoked, String valid, String revokedHash) {
        int hits = 0;
        if (list.isRevoked(revoked)) {
            hits++;
        }
        if (list.isRevoked(valid)) {
            hits += 1_000_000;
        }
        if (list.isRevokedHash(revokedHash)) {
            hits++;
        }
        return hits;
    }

    static String newSecret() {
        return SecretFormat.issue(KeyType.SECRET, Mode.LIVE, RANDOM).plaintext();
    }

    static KeyRevocation revocation(UUID keyId, Reason reason, boolean keyRevoked, String secret,
                                    String... earlierSecrets) {
        List<String> all = new java.util.ArrayList<>();
        all.add(SecretFormat.sha256(secret));
        for (String earlier : earlierSecrets) {
            all.add(SecretFormat.sha256(earlier));
        }
        return new KeyRevocation(UUID.randomUUID().toString(), keyId.toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "live", SecretFormat.sha256(secret), List.copyOf(all), reason,
                keyRevoked, Instant.parse("2025-01-01T00:00:00Z"));
    }

    static KeyRevocation withEventId(KeyRevocation r, String eventId) {
        return new KeyRevocation(eventId, r.keyId(), r.accountId(), r.applicationId(), r.mode(), r.secretSha256(),
                r.revokedSecretSha256s(), r.reason(), r.keyRevoked(), r.revokedAt());
    }
}
