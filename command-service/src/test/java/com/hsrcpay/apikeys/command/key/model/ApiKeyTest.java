package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.command.CreateKey;
import com.hsrcpay.apikeys.shared.command.KeyCommandRejected;
import com.hsrcpay.apikeys.shared.command.PatchKey;
import com.hsrcpay.apikeys.shared.command.Rejection;
import com.hsrcpay.apikeys.shared.command.Replace;
import com.hsrcpay.apikeys.shared.command.RevokeKey;
import com.hsrcpay.apikeys.shared.command.RotateKey;
import com.hsrcpay.apikeys.shared.command.SoftDeleteKey;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One scenario per rule of the contract, each refusal included. Time is a fixed clock. */
class ApiKeyTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final KeyId KEY = new KeyId(UUID.fromString("5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11"));
    static final AccountId ACCOUNT = new AccountId("acct_1a2b");
    static final ApplicationId APP = new ApplicationId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    static final Actor ACTOR = new Actor(Actor.Type.USER, "user_1");
    static final SecretFingerprint SECRET = new SecretFingerprint("a".repeat(64), "sk_live_…aaaa");
    static final SecretFingerprint NEW_SECRET = new SecretFingerprint("b".repeat(64), "sk_live_…bbbb");
    static final Map<String, List<String>> READ_CREATE = Map.of("account:api:key", List.of("read", "create"));

    FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiKey.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static CreateKey create(String name, Map<String, List<String>> permissions, Map<String, Object> metadata,
                            Instant expiresAt, boolean managed) {
        return new CreateKey(KEY, ACCOUNT, Mode.LIVE, APP, name, null, permissions, metadata, expiresAt, managed,
                SECRET, ACTOR, "req_1");
    }

    static KeyCreated created(boolean managed) {
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET, Permissions.of(READ_CREATE),
                Map.of(), null, managed, SECRET, ACTOR, NOW.minusSeconds(3600), "req_0");
    }

    static PatchKey patch(Long version, Replace<String> name, Replace<String> status) {
        return new PatchKey(KEY, ACCOUNT, Mode.LIVE, version, name, null, null, status, null, ACTOR, "req_2");
    }

    static KeyDeleted deleted() {
        return new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW.minusSeconds(60), "req_9");
    }

    static Matcher<Throwable> rejected(Rejection rejection) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof KeyCommandRejected r && r.rejection() == rejection;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("KeyCommandRejected " + rejection);
            }
        };
    }

    @Nested
    class Create {

        @Test
        void issuesAnActiveKeyWithTrimmedNameAndDefaults() {
            fixture.givenNoPriorActivity()
                    .when(create("  Backend  ", READ_CREATE, null, null, false))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET,
                            Permissions.of(READ_CREATE), Map.of(), null, false, SECRET, ACTOR, NOW, "req_1"))
                    .expectResultMessagePayloadMatching(new TypeSafeMatcher<>() {
                        @Override
                        protected boolean matchesSafely(Object item) {
                            return item instanceof KeySnapshot s && s.version() == 1 && s.status() == KeyStatus.ACTIVE
                                    && s.secretHint().equals(SECRET.hint());
                        }

                        @Override
                        public void describeTo(Description d) {
                            d.appendText("snapshot at version 1, ACTIVE, masked secret");
                        }
                    });
        }

        @Test
        void acceptsANameOfExactlyOneHundredCharacters() {
            fixture.givenNoPriorActivity()
                    .when(create("n".repeat(100), READ_CREATE, null, null, false))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void refusesABlankName() {
            fixture.givenNoPriorActivity().when(create("   ", READ_CREATE, null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAMissingName() {
            fixture.givenNoPriorActivity().when(create(null, READ_CREATE, null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesANameLongerThanOneHundredCharactersAfterTrimming() {
            fixture.givenNoPriorActivity().when(create(" " + "n".repeat(101) + " ", READ_CREATE, null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesMissingPermissions() {
            fixture.givenNoPriorActivity().when(create("Backend", null, null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAMalformedPermissionResource() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", Map.of("Account API", List.of("read")), null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAResourceWithoutActions() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", Map.of("account:api:key", List.of()), null, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesMoreThanFiftyMetadataEntries() {
            Map<String, Object> metadata = new HashMap<>();
            for (int i = 0; i < 51; i++) {
                metadata.put("k" + i, "v");
            }
            fixture.givenNoPriorActivity().when(create("Backend", READ_CREATE, metadata, null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAMetadataKeyLongerThanFortyCharacters() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, Map.of("k".repeat(41), "v"), null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAMetadataValueLongerThanFiveHundredCharacters() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, Map.of("note", "v".repeat(501)), null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesANonScalarMetadataValue() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, Map.of("nested", Map.of("a", 1)), null, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAnExpiryInThePast() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, null, NOW.minusSeconds(1), false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAnExpiryOfExactlyNow() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, null, NOW, false))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void issuesAPublishableKeyWhenAskedFor() {
            CreateKey publishable = new CreateKey(KEY, ACCOUNT, Mode.TEST, null, "Checkout", KeyType.PUBLISHABLE,
                    Map.of(), null, NOW.plusSeconds(60), true, SECRET, ACTOR, "req_1");
            fixture.givenNoPriorActivity().when(publishable)
                    .expectEvents(new KeyCreated(KEY, ACCOUNT, Mode.TEST, null, "Checkout", KeyType.PUBLISHABLE,
                            Permissions.none(), Map.of(), NOW.plusSeconds(60), true, SECRET, ACTOR, NOW, "req_1"));
        }
    }

    @Nested
    class Regenerate {

        @Test
        void rotatesTheSecretOfAManagedKeyAndStopsTheOldOneAtOnce() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(), NOW,
                            List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW, "req_3"));
        }

        @Test
        void keepsTheOldSecretForTheGracePeriod() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, "req_3"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(3600), List.of(), List.of(), ACTOR, NOW, "req_3"));
        }

        @Test
        void aSecondRotationEndsTheFirstOnesGraceAtOnce() {
            SecretFingerprint third = new SecretFingerprint("c".repeat(64), "sk_live_…cccc");
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(), List.of(), ACTOR, NOW.minusSeconds(10), "req_3"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, third, 600, ACTOR, "req_4"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, third, NEW_SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW, "req_4"));
        }

        @Test
        void refusesACustomKey() {
            fixture.given(created(false))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_MANAGED)).expectNoEvents();
        }

        @Test
        void refusesADeletedKey() {
            fixture.given(created(true), deleted())
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_DELETED)).expectNoEvents();
        }

        @Test
        void refusesARevokedKey() {
            fixture.given(created(true), new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR,
                            NOW, "req_4"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_REVOKED)).expectNoEvents();
        }

        @Test
        void refusesAGracePeriodLongerThanADay() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 86_401, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesANegativeGracePeriod() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, -1, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void treatsAnotherAccountsKeyAsMissing() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, new AccountId("acct_other"), Mode.LIVE, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }

        @Test
        void treatsALiveKeyAsMissingForASandboxCaller() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.TEST, NEW_SECRET, 0, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }
    }

    @Nested
    class Patch {

        @Test
        void renamesAndRecordsBeforeAndAfter() {
            fixture.given(created(false))
                    .when(patch(null, Replace.with(" Renamed "), null))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(new FieldChange<>("Backend", "Renamed"), null, null, null), ACTOR, NOW, "req_2"));
        }

        @Test
        void deactivatesWithAStatusEventOfItsOwn() {
            fixture.given(created(false))
                    .when(patch(null, null, Replace.with("INACTIVE")))
                    .expectEvents(new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW, "req_2"));
        }

        @Test
        void activatesAnInactiveKey() {
            fixture.given(created(false), new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW, "req_1"))
                    .when(patch(null, null, Replace.with("ACTIVE")))
                    .expectEvents(new KeyActivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW, "req_2"));
        }

        @Test
        void refusesStatusesOtherThanActiveAndInactive() {
            fixture.given(created(false))
                    .when(patch(null, null, Replace.with("REVOKED")))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesAStatusInTheWrongCase() {
            fixture.given(created(false))
                    .when(patch(null, null, Replace.with("inactive")))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void clearsTheExpiryWithNull() {
            KeyCreated expiring = new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET,
                    Permissions.of(READ_CREATE), Map.of(), NOW.plusSeconds(600), false, SECRET, ACTOR, NOW, "req_0");
            fixture.given(expiring)
                    .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, null, Replace.with(null), null,
                            Replace.with(null), ACTOR, "req_2"))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(null, null, new FieldChange<>(NOW.plusSeconds(600), null), null), ACTOR, NOW,
                            "req_2"));
        }

        @Test
        void replacesPermissionsAndMetadata() {
            Map<String, List<String>> readOnly = Map.of("account:api:key", List.of("read"));
            fixture.given(created(false))
                    .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, Replace.with(readOnly), null, null,
                            Replace.with(Map.of("team", "payments")), ACTOR, "req_2"))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null,
                            new FieldChange<>(Permissions.of(READ_CREATE), Permissions.of(readOnly)), null,
                            new FieldChange<>(Map.of(), Map.of("team", "payments"))), ACTOR, NOW, "req_2"));
        }

        @Test
        void refusesAnExpiryInThePast() {
            fixture.given(created(false))
                    .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, null, Replace.with(NOW.minusSeconds(5)),
                            null, null, ACTOR, "req_2"))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void changesNothingWhenTheValuesAreAlreadySo() {
            fixture.given(created(false))
                    .when(patch(null, Replace.with("Backend"), Replace.with("ACTIVE")))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void refusesAPatchThatNamesNoField() {
            fixture.given(created(false))
                    .when(patch(null, null, null))
                    .expectException(rejected(Rejection.NOTHING_TO_CHANGE)).expectNoEvents();
        }

        @Test
        void appliesWhenIfMatchNamesTheCurrentVersion() {
            fixture.given(created(false))
                    .when(patch(1L, Replace.with("Renamed"), null))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(new FieldChange<>("Backend", "Renamed"), null, null, null), ACTOR, NOW, "req_2"));
        }

        @Test
        void refusesAStaleIfMatchVersion() {
            fixture.given(created(false), new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW, "req_1"))
                    .when(patch(1L, Replace.with("Renamed"), null))
                    .expectException(rejected(Rejection.VERSION_MISMATCH)).expectNoEvents();
        }

        @Test
        void refusesAnyChangeToADeletedKey() {
            fixture.given(created(false), deleted())
                    .when(patch(null, Replace.with("Renamed"), null))
                    .expectException(rejected(Rejection.KEY_DELETED)).expectNoEvents();
        }

        @Test
        void treatsAnotherAccountsKeyAsMissing() {
            fixture.given(created(false))
                    .when(new PatchKey(KEY, new AccountId("acct_other"), Mode.LIVE, null, Replace.with("x"), null, null,
                            null, null, ACTOR, "req_2"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }
    }

    @Nested
    class SoftDelete {

        @Test
        void deletesAndNamesTheSecretThatStops() {
            fixture.given(created(false))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectEvents(new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW,
                            "req_5"));
        }

        @Test
        void alsoStopsASecretStillInItsRotationGrace() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(), List.of(), ACTOR, NOW.minusSeconds(10), "req_3"))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectEvents(new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP,
                            List.of(SECRET.sha256(), NEW_SECRET.sha256()), ACTOR, NOW, "req_5"));
        }

        @Test
        void alsoNamesSecretsRotatedOutEarlier() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.minusSeconds(10), List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW.minusSeconds(10),
                            "req_3"))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectEvents(new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP,
                            List.of(SECRET.sha256(), NEW_SECRET.sha256()), ACTOR, NOW, "req_5"));
        }

        @Test
        void deletingAgainIsNotFound() {
            fixture.given(created(false), deleted())
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }

        @Test
        void treatsALiveKeyAsMissingForASandboxCaller() {
            fixture.given(created(false))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.TEST, ACTOR, "req_5"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }
    }

    @Nested
    class ApplicationRevoke {

        @Test
        void revokesTheApplicationsKey() {
            fixture.given(created(false))
                    .when(new RevokeKey(KEY, APP, ACCOUNT, Mode.LIVE, ACTOR, "req_6"))
                    .expectEvents(new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW,
                            "req_6"));
        }

        @Test
        void refusesAKeyOfAnotherApplicationAsNotFound() {
            fixture.given(created(false))
                    .when(new RevokeKey(KEY, new ApplicationId(UUID.randomUUID()), ACCOUNT, Mode.LIVE, ACTOR, "req_6"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }

        @Test
        void refusesAKeyOfNoApplicationAsNotFound() {
            KeyCreated standalone = new KeyCreated(KEY, ACCOUNT, Mode.LIVE, null, "Backend", KeyType.SECRET,
                    Permissions.of(READ_CREATE), Map.of(), null, false, SECRET, ACTOR, NOW, "req_0");
            fixture.given(standalone)
                    .when(new RevokeKey(KEY, APP, ACCOUNT, Mode.LIVE, ACTOR, "req_6"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }

        @Test
        void refusesRevokingTwice() {
            fixture.given(created(false), new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR,
                            NOW, "req_6"))
                    .when(new RevokeKey(KEY, APP, ACCOUNT, Mode.LIVE, ACTOR, "req_7"))
                    .expectException(rejected(Rejection.KEY_REVOKED)).expectNoEvents();
        }

        @Test
        void refusesPatchingARevokedKey() {
            fixture.given(created(false), new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR,
                            NOW, "req_6"))
                    .when(patch(null, Replace.with("Renamed"), null))
                    .expectException(rejected(Rejection.KEY_REVOKED)).expectNoEvents();
        }
    }
}
