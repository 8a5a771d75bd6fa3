package com.hsrcpay.apikeys.shared.message;

import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The revocation record of the events a deadline causes: the end of a rotation grace, an expiry. */
class RevocationsTest {

    static final KeyId KEY = new KeyId(UUID.fromString("5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11"));
    static final AccountId ACCOUNT = new AccountId("acct_1a2b");
    static final ApplicationId APP = new ApplicationId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    static final String FIRST = "a".repeat(64);
    static final String SECOND = "b".repeat(64);
    static final String THIRD = "c".repeat(64);

    @Test
    void theEndOfARotationGraceRevokesThatSecretOnlyAndKeepsTheKey() {
        SecretRetired retired = new SecretRetired(KEY, ACCOUNT, Mode.TEST, APP, SECOND, List.of(FIRST, SECOND),
                Actor.system("rotation-grace"), AT, "deadline:1");

        KeyRevocation revocation = Revocations.of(retired, "event-1").orElseThrow();

        assertThat(revocation).isEqualTo(new KeyRevocation("event-1", KEY.toString(), "acct_1a2b", APP.toString(),
                "test", SECOND, List.of(FIRST, SECOND), KeyRevocation.Reason.ROTATED, false, AT));
    }

    @Test
    void theEndOfTheGraceOfAKeyWithoutApplicationHasNoApplication() {
        SecretRetired retired = new SecretRetired(KEY, ACCOUNT, Mode.LIVE, null, FIRST, List.of(FIRST),
                Actor.system("rotation-grace"), AT, "deadline:1");

        KeyRevocation revocation = Revocations.of(retired, "event-1").orElseThrow();

        assertThat(revocation.applicationId()).isNull();
        assertThat(revocation.mode()).isEqualTo("live");
    }

    @Test
    void anExpiryRevokesEverySecretAndTheKey() {
        KeyExpired expired = new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(FIRST, SECOND, THIRD),
                Actor.system("expiry"), AT, "deadline:2");

        KeyRevocation revocation = Revocations.of(expired, "event-2").orElseThrow();

        assertThat(revocation).isEqualTo(new KeyRevocation("event-2", KEY.toString(), "acct_1a2b", APP.toString(),
                "live", THIRD, List.of(FIRST, SECOND, THIRD), KeyRevocation.Reason.EXPIRED, true, AT));
    }

    @Test
    void anExposureRevokesEverySecretAndTheKeyForTheReasonExposed() {
        KeyExposed exposed = new KeyExposed(KEY, ACCOUNT, Mode.TEST, null, List.of(FIRST, SECOND), KeyExposed.GITHUB,
                "https://github.com/o/r/blob/1/a.txt", Actor.system("github-secret-scanning"), AT, "req_9");

        KeyRevocation revocation = Revocations.of(exposed, "event-5").orElseThrow();

        assertThat(revocation).isEqualTo(new KeyRevocation("event-5", KEY.toString(), "acct_1a2b", null, "test",
                SECOND, List.of(FIRST, SECOND), KeyRevocation.Reason.EXPOSED, true, AT));
    }

    @Test
    void aPreviousSecretExposedDuringItsGraceRevokesThatSecretForTheReasonExposedAndKeepsTheKey() {
        SecretRetired retired = new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP, FIRST, List.of(FIRST),
                Actor.system("exposure-report"), AT, "req_10", SecretRetired.Reason.EXPOSED);

        KeyRevocation revocation = Revocations.of(retired, "event-6").orElseThrow();

        assertThat(revocation.reason()).isEqualTo(KeyRevocation.Reason.EXPOSED);
        assertThat(revocation.keyRevoked()).isFalse();
        assertThat(revocation.secretSha256()).isEqualTo(FIRST);
    }

    @Test
    void aRotationWithGraceRevokesNothingYet() {
        SecretRotated rotated = new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP,
                new SecretFingerprint(SECOND, "sk_live_…bbbb"), FIRST, AT.plusSeconds(60), List.of(), List.of(),
                new Actor(Actor.Type.USER, "user_1"), AT, "req_1");

        assertThat(Revocations.of(rotated, "event-3")).isEmpty();
    }

    @Test
    void otherEventsRevokeNothing() {
        assertThat(Revocations.of(new KeyActivated(KEY, ACCOUNT, Mode.LIVE, new Actor(Actor.Type.USER, "user_1"), AT,
                "req_1"), "event-4")).isEmpty();
    }
}
