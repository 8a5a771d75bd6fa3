package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
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
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One scenario per rule of the contract, each refusal included. Time is the fixture's simulated time, starting at
 * {@link #NOW}: the aggregate's injected {@link Clock} reads it, so command handlers, deadline handlers and the
 * fixture's deadline manager (which moves time forward when deadlines fire) agree on what "now" is.
 */
class ApiKeyTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final KeyId KEY = new KeyId(UUID.fromString("5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11"));
    static final AccountId ACCOUNT = new AccountId("acct_1a2b");
    static final ApplicationId APP = new ApplicationId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    static final Actor ACTOR = new Actor(Actor.Type.USER, "user_1");
    static final SecretFingerprint SECRET = new SecretFingerprint("a".repeat(64), "sk_live_…aaaa");
    static final SecretFingerprint NEW_SECRET = new SecretFingerprint("b".repeat(64), "sk_live_…bbbb");
    static final Map<String, List<String>> READ_CREATE = Map.of("account:api:key", List.of("read", "create"));
    /** What the acting credential of most scenarios holds: everything, so the grant rule never refuses there. */
    static final Permissions HOLDS_ALL = Permissions.of(Map.of("*", List.of("*")));

    FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        AggregateTestFixture<ApiKey> aggregateFixture = new AggregateTestFixture<>(ApiKey.class);
        aggregateFixture.registerInjectableResource(new SimulatedClock(aggregateFixture::currentTime));
        aggregateFixture.givenCurrentTime(NOW);
        fixture = aggregateFixture;
    }

    /** A clock that reads the fixture's simulated time. */
    static final class SimulatedClock extends Clock {
        private final Supplier<Instant> time;

        SimulatedClock(Supplier<Instant> time) {
            this.time = time;
        }

        @Override
        public Instant instant() {
            return time.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }

    static CreateKey create(String name, Map<String, List<String>> permissions, Map<String, Object> metadata,
                            Instant expiresAt, boolean managed) {
        return new CreateKey(KEY, ACCOUNT, Mode.LIVE, APP, name, null, permissions, metadata, expiresAt, managed,
                SECRET, ACTOR, HOLDS_ALL, "req_1");
    }

    static KeyCreated created(boolean managed) {
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET, Permissions.of(READ_CREATE),
                Map.of(), null, managed, SECRET, ACTOR, NOW.minusSeconds(3600), "req_0");
    }

    static PatchKey patch(Long version, Replace<String> name, Replace<String> status) {
        return new PatchKey(KEY, ACCOUNT, Mode.LIVE, version, name, null, null, status, null, ACTOR, HOLDS_ALL, "req_2");
    }

    static KeyDeleted deleted() {
        return new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW.minusSeconds(60), "req_9");
    }

    static PatchKey patchExpiry(Instant expiresAt) {
        return new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, null, Replace.with(expiresAt), null, null, ACTOR, HOLDS_ALL, "req_2");
    }

    /**
     * Exactly these events, compared field by field, except that each request id is {@code deadline:<id>}: events a
     * deadline caused carry the deadline message's id, unknown before it fires.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Matcher<List<EventMessage<?>>> deadlineEvents(Record... expected) {
        Matcher[] matchers = new Matcher[expected.length + 1];
        for (int i = 0; i < expected.length; i++) {
            matchers[i] = causedByADeadline(expected[i]);
        }
        matchers[expected.length] = Matchers.andNoMore();
        return (Matcher) Matchers.payloadsMatching(Matchers.exactSequenceOf(matchers));
    }

    static Matcher<Object> causedByADeadline(Record expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object actual) {
                if (actual.getClass() != expected.getClass()) {
                    return false;
                }
                for (RecordComponent component : expected.getClass().getRecordComponents()) {
                    Object want = value(component, expected);
                    Object got = value(component, actual);
                    boolean same = component.getName().equals("requestId")
                            ? got instanceof String id && id.startsWith("deadline:") && id.length() > "deadline:".length()
                            : Objects.equals(want, got);
                    if (!same) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(expected + " with request id deadline:<id>");
            }
        };
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
                            return item instanceof KeyState s && s.version() == 1 && s.status() == KeyStatus.ACTIVE
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
                    Map.of(), null, NOW.plusSeconds(60), true, SECRET, ACTOR, HOLDS_ALL, "req_1");
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
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(), NOW,
                            List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW, "req_3"));
        }

        @Test
        void keepsTheOldSecretForTheGracePeriod() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(3600), List.of(), List.of(), ACTOR, NOW, "req_3"));
        }

        @Test
        void aSecondRotationEndsTheFirstOnesGraceAtOnce() {
            SecretFingerprint third = new SecretFingerprint("c".repeat(64), "sk_live_…cccc");
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(), List.of(), ACTOR, NOW.minusSeconds(10), "req_3"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, third, 600, ACTOR, HOLDS_ALL, "req_4"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, third, NEW_SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW, "req_4"));
        }

        @Test
        void refusesACustomKey() {
            fixture.given(created(false))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_MANAGED)).expectNoEvents();
        }

        @Test
        void refusesADeletedKey() {
            fixture.given(created(true), deleted())
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.KEY_DELETED)).expectNoEvents();
        }

        @Test
        void refusesARevokedKey() {
            fixture.given(created(true), new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR,
                            NOW, "req_4"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.KEY_REVOKED)).expectNoEvents();
        }

        @Test
        void refusesAGracePeriodLongerThanADay() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 86_401, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void refusesANegativeGracePeriod() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, -1, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.INVALID_INPUT)).expectNoEvents();
        }

        @Test
        void treatsAnotherAccountsKeyAsMissing() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, new AccountId("acct_other"), Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }

        @Test
        void treatsALiveKeyAsMissingForASandboxCaller() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.TEST, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
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
                            Replace.with(null), ACTOR, HOLDS_ALL, "req_2"))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(null, null, new FieldChange<>(NOW.plusSeconds(600), null), null), ACTOR, NOW,
                            "req_2"));
        }

        @Test
        void replacesPermissionsAndMetadata() {
            Map<String, List<String>> readOnly = Map.of("account:api:key", List.of("read"));
            fixture.given(created(false))
                    .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, Replace.with(readOnly), null, null,
                            Replace.with(Map.of("team", "payments")), ACTOR, HOLDS_ALL, "req_2"))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null,
                            new FieldChange<>(Permissions.of(READ_CREATE), Permissions.of(readOnly)), null,
                            new FieldChange<>(Map.of(), Map.of("team", "payments"))), ACTOR, NOW, "req_2"));
        }

        @Test
        void refusesAnExpiryInThePast() {
            fixture.given(created(false))
                    .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, null, Replace.with(NOW.minusSeconds(5)),
                            null, null, ACTOR, HOLDS_ALL, "req_2"))
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
                            null, null, ACTOR, HOLDS_ALL, "req_2"))
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

    @Nested
    class Expiry {

        static final Instant EXPIRES = NOW.plusSeconds(600);

        KeyExpired expiredAt(Instant at, List<String> secrets) {
            return new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, secrets, Actor.system("expiry"), at, "deadline:?");
        }

        @Test
        void aKeyCreatedWithAnExpiryGetsADeadlineAtThatInstant() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .expectSuccessfulHandlerExecution()
                    .expectScheduledDeadline(EXPIRES, new ExpiryDue(EXPIRES))
                    .expectScheduledDeadlineWithName(EXPIRES, ApiKey.EXPIRY_DEADLINE);
        }

        @Test
        void aKeyWithoutExpiryGetsNoDeadline() {
            fixture.givenNoPriorActivity()
                    .when(create("Backend", READ_CREATE, null, null, false))
                    .expectSuccessfulHandlerExecution()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void aRefusedCreateSchedulesNothing() {
            fixture.givenNoPriorActivity()
                    .when(create("   ", READ_CREATE, null, EXPIRES, false))
                    .expectException(rejected(Rejection.INVALID_INPUT))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void aPatchThatMovesTheExpiryReschedulesTheDeadline() {
            Instant later = NOW.plusSeconds(1200);
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .when(patchExpiry(later))
                    .expectSuccessfulHandlerExecution()
                    .expectScheduledDeadline(later, new ExpiryDue(later))
                    .expectNoScheduledDeadlineWithName(EXPIRES, ApiKey.EXPIRY_DEADLINE);
        }

        @Test
        void aPatchThatClearsTheExpiryCancelsTheDeadline() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .when(patchExpiry(null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void aPatchThatSetsAFirstExpirySchedulesIt() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, false))
                    .when(patchExpiry(EXPIRES))
                    .expectScheduledDeadline(EXPIRES, new ExpiryDue(EXPIRES));
        }

        @Test
        void aPatchThatLeavesTheExpiryAloneKeepsTheDeadline() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .when(patch(null, Replace.with("Renamed"), Replace.with("INACTIVE")))
                    .expectScheduledDeadline(EXPIRES, new ExpiryDue(EXPIRES));
        }

        @Test
        void deletingTheKeyCancelsItsDeadlines() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void revokingTheKeyCancelsItsDeadlines() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .when(new RevokeKey(KEY, APP, ACCOUNT, Mode.LIVE, ACTOR, "req_6"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void theDeadlineExpiresTheKeyAndStopsItsSecret() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectTriggeredDeadlinesWithName(ApiKey.EXPIRY_DEADLINE)
                    .expectEventsMatching(deadlineEvents(expiredAt(EXPIRES, List.of(SECRET.sha256()))));
        }

        @Test
        void nothingHappensBeforeTheExpiry() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .whenTimeAdvancesTo(EXPIRES.minusMillis(1))
                    .expectNoEvents()
                    .expectScheduledDeadline(EXPIRES, new ExpiryDue(EXPIRES));
        }

        @Test
        void anInactiveKeyExpiresToo() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false),
                            patch(null, null, Replace.with("INACTIVE")))
                    .whenTimeElapses(java.time.Duration.ofSeconds(600))
                    .expectEventsMatching(deadlineEvents(expiredAt(EXPIRES, List.of(SECRET.sha256()))));
        }

        @Test
        void aMovedExpiryFiresOnceAtTheNewInstant() {
            Instant earlier = NOW.plusSeconds(300);
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false), patchExpiry(earlier))
                    .whenTimeAdvancesTo(NOW.plusSeconds(3600))
                    .expectTriggeredDeadlines(new ExpiryDue(earlier))
                    .expectEventsMatching(deadlineEvents(expiredAt(earlier, List.of(SECRET.sha256()))));
        }

        @Test
        void aStaleDeadlineDoesNothingWhenTheExpiryMovedLater() {
            // the expiry moved later without the old deadline being cancelled (say the cancel met a firing deadline)
            Instant later = NOW.plusSeconds(1200);
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .andGiven(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(null, null, new FieldChange<>(EXPIRES, later), null), ACTOR, NOW, "req_2"))
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectTriggeredDeadlinesWithName(ApiKey.EXPIRY_DEADLINE)
                    .expectNoEvents();
        }

        @Test
        void aDeadlineDoesNothingWhenTheExpiryWasCleared() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .andGiven(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                            new KeyChanges(null, null, new FieldChange<>(EXPIRES, null), null), ACTOR, NOW, "req_2"))
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectNoEvents();
        }

        @Test
        void aDeadlineDoesNothingForADeletedKey() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .andGiven(deleted())
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectTriggeredDeadlinesWithName(ApiKey.EXPIRY_DEADLINE)
                    .expectNoEvents();
        }

        @Test
        void aDeadlineDoesNothingForARevokedKey() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .andGiven(new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW, "req_6"))
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectNoEvents();
        }

        @Test
        void aDeadlineDoesNothingForAnAlreadyExpiredKey() {
            // a deadline that fired and appended its event, but whose row the scheduler could not remove, fires again
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, false))
                    .andGiven(new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            Actor.system("expiry"), NOW, "deadline:earlier"))
                    .whenTimeAdvancesTo(EXPIRES)
                    .expectNoEvents();
        }

        @Test
        void expiryAlsoStopsASecretInItsRotationGraceAndCancelsTheGraceDeadline() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, EXPIRES, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .whenTimeAdvancesTo(NOW.plusSeconds(7200))
                    .expectTriggeredDeadlinesWithName(ApiKey.EXPIRY_DEADLINE)
                    .expectEventsMatching(deadlineEvents(
                            expiredAt(EXPIRES, List.of(SECRET.sha256(), NEW_SECRET.sha256()))))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anExpiredKeyCannotBeRegenerated() {
            fixture.given(created(true), new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            Actor.system("expiry"), NOW, "deadline:1"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectException(rejected(Rejection.KEY_EXPIRED)).expectNoEvents();
        }

        @Test
        void anExpiredKeyCannotBeReactivated() {
            fixture.given(created(true), new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            Actor.system("expiry"), NOW, "deadline:1"))
                    .when(patch(null, null, Replace.with("ACTIVE")))
                    .expectException(rejected(Rejection.KEY_EXPIRED)).expectNoEvents();
        }

        @Test
        void aNewExpiryOnAnExpiredKeySchedulesNothing() {
            fixture.given(created(false), new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            Actor.system("expiry"), NOW, "deadline:1"))
                    .when(patchExpiry(EXPIRES))
                    .expectNoScheduledDeadlines();
        }
    }

    @Nested
    class RotationGrace {

        static final Instant GRACE_ENDS = NOW.plusSeconds(3600);

        @Test
        void aRotationWithGraceSchedulesTheEndOfTheGrace() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .expectScheduledDeadline(GRACE_ENDS, new GraceEnds(SECRET.sha256()))
                    .expectScheduledDeadlineWithName(GRACE_ENDS, ApiKey.GRACE_DEADLINE);
        }

        @Test
        void aRotationWithoutGraceSchedulesNothing() {
            fixture.given(created(true))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, HOLDS_ALL, "req_3"))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void theEndOfTheGraceRetiresThePreviousSecret() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .whenTimeAdvancesTo(GRACE_ENDS)
                    .expectTriggeredDeadlinesWithName(ApiKey.GRACE_DEADLINE)
                    .expectEventsMatching(deadlineEvents(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP,
                            SECRET.sha256(), List.of(SECRET.sha256()), Actor.system("rotation-grace"), GRACE_ENDS,
                            "deadline:?")));
        }

        @Test
        void theRetiredSecretIsNamedWhenTheKeyIsDeletedLater() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .andGiven(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP, SECRET.sha256(),
                            List.of(SECRET.sha256()), Actor.system("rotation-grace"), GRACE_ENDS, "deadline:1"))
                    .when(new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .expectEvents(new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP,
                            List.of(SECRET.sha256(), NEW_SECRET.sha256()), ACTOR, NOW, "req_5"));
        }

        @Test
        void aSecondRotationCancelsTheFirstGraceAndSchedulesItsOwn() {
            SecretFingerprint third = new SecretFingerprint("c".repeat(64), "sk_live_…cccc");
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, third, 600, ACTOR, HOLDS_ALL, "req_4"))
                    .whenTimeAdvancesTo(NOW.plusSeconds(7200))
                    .expectTriggeredDeadlines(new GraceEnds(NEW_SECRET.sha256()))
                    .expectEventsMatching(deadlineEvents(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP,
                            NEW_SECRET.sha256(), List.of(SECRET.sha256(), NEW_SECRET.sha256()),
                            Actor.system("rotation-grace"), NOW.plusSeconds(600), "deadline:?")));
        }

        @Test
        void aGraceDeadlineDoesNothingAfterASecondRotationStoppedTheSecret() {
            // the second rotation's cancel of this deadline did not happen (say it met the deadline firing)
            SecretFingerprint third = new SecretFingerprint("c".repeat(64), "sk_live_…cccc");
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .andGiven(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, third, NEW_SECRET.sha256(),
                            NOW.plusSeconds(600), List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR, NOW,
                            "req_4"))
                    .whenTimeAdvancesTo(GRACE_ENDS)
                    .expectTriggeredDeadlinesWithName(ApiKey.GRACE_DEADLINE)
                    .expectNoEvents();
        }

        @Test
        void aGraceDeadlineDoesNothingForADeletedKey() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .andGiven(new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256(), NEW_SECRET.sha256()),
                            ACTOR, NOW, "req_5"))
                    .whenTimeAdvancesTo(GRACE_ENDS)
                    .expectTriggeredDeadlinesWithName(ApiKey.GRACE_DEADLINE)
                    .expectNoEvents();
        }

        @Test
        void aGraceDeadlineDoesNothingForAnExpiredKey() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .andGiven(new KeyExpired(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256(), NEW_SECRET.sha256()),
                            Actor.system("expiry"), NOW, "deadline:1"))
                    .whenTimeAdvancesTo(GRACE_ENDS)
                    .expectNoEvents();
        }

        @Test
        void aGraceDeadlineThatFiresTwiceRetiresOnce() {
            fixture.givenCommands(create("Backend", READ_CREATE, null, null, true),
                            new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 3600, ACTOR, HOLDS_ALL, "req_3"))
                    .andGiven(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP, SECRET.sha256(),
                            List.of(SECRET.sha256()), Actor.system("rotation-grace"), GRACE_ENDS, "deadline:1"))
                    .whenTimeAdvancesTo(GRACE_ENDS)
                    .expectNoEvents();
        }

        @Test
        void aRotationAfterALapsedGraceWhoseDeadlineHasNotFiredStopsThePreviousSecret() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.minusSeconds(10), List.of(), List.of(), ACTOR, NOW.minusSeconds(70), "req_3"))
                    .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE,
                            new SecretFingerprint("c".repeat(64), "sk_live_…cccc"), 0, ACTOR, HOLDS_ALL, "req_4"))
                    .expectEvents(new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP,
                            new SecretFingerprint("c".repeat(64), "sk_live_…cccc"), NEW_SECRET.sha256(), NOW,
                            List.of(SECRET.sha256(), NEW_SECRET.sha256()), List.of(SECRET.sha256(), NEW_SECRET.sha256()),
                            ACTOR, NOW, "req_4"));
        }
    }

    @Nested
    class Exposure {

        static final String URL = "https://github.com/octocat/Hello-World/blob/1/config.txt";
        static final Actor GITHUB = Actor.system("github-secret-scanning");

        ReportExposure report(String sha256) {
            return new ReportExposure(KEY, sha256, KeyExposed.GITHUB, URL, GITHUB, "req_7");
        }

        @Test
        void theCurrentSecretRevokesTheKeyWithEverySecretItHad() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.minusSeconds(1), List.of(SECRET.sha256()), List.of(SECRET.sha256()), ACTOR,
                            NOW.minusSeconds(1), "req_3"))
                    .when(report(NEW_SECRET.sha256()))
                    .expectEvents(new KeyExposed(KEY, ACCOUNT, Mode.LIVE, APP,
                            List.of(SECRET.sha256(), NEW_SECRET.sha256()), KeyExposed.GITHUB, URL, GITHUB, NOW, "req_7"))
                    .expectState(key -> {
                        assertThat(key.state().status()).isEqualTo(KeyStatus.REVOKED);
                        assertThat(key.state().deleted()).isFalse();
                    });
        }

        @Test
        void anInactiveKeyIsRevokedToo() {
            fixture.given(created(false), new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW.minusSeconds(5),
                            "req_2"))
                    .when(report(SECRET.sha256()))
                    .expectEvents(new KeyExposed(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            KeyExposed.GITHUB, URL, GITHUB, NOW, "req_7"));
        }

        @Test
        void aRepeatedReportWritesNothing() {
            fixture.given(created(false), new KeyExposed(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()),
                            KeyExposed.GITHUB, URL, GITHUB, NOW.minusSeconds(5), "req_6"))
                    .when(report(SECRET.sha256()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aDeletedKeyChangesNoMore() {
            fixture.given(created(false), deleted())
                    .when(report(SECRET.sha256()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void thePreviousSecretInItsGraceIsRetiredAtOnceAndTheKeyStays() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.plusSeconds(3600), List.of(), List.of(), ACTOR, NOW.minusSeconds(10), "req_3"))
                    .when(report(SECRET.sha256()))
                    .expectEvents(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP, SECRET.sha256(),
                            List.of(SECRET.sha256()), GITHUB, NOW, "req_7", SecretRetired.Reason.EXPOSED))
                    .expectState(key -> assertThat(key.state().status()).isEqualTo(KeyStatus.ACTIVE));
        }

        @Test
        void aPreviousSecretAlreadyRetiredChangesNothing() {
            fixture.given(created(true), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, APP, NEW_SECRET, SECRET.sha256(),
                            NOW.minusSeconds(5), List.of(), List.of(), ACTOR, NOW.minusSeconds(10), "req_3"),
                            new SecretRetired(KEY, ACCOUNT, Mode.LIVE, APP, SECRET.sha256(), List.of(SECRET.sha256()),
                                    Actor.system("rotation-grace"), NOW.minusSeconds(5), "deadline:1"))
                    .when(report(SECRET.sha256()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aKeyPastItsExpiryIsLeftToItsExpiry() {
            KeyCreated expiring = new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET,
                    Permissions.of(READ_CREATE), Map.of(), NOW.minusSeconds(1), false, SECRET, ACTOR,
                    NOW.minusSeconds(3600), "req_0");
            fixture.given(expiring)
                    .when(report(SECRET.sha256()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aPublishableKeyIsPublicByDesignAndStays() {
            KeyCreated publishable = new KeyCreated(KEY, ACCOUNT, Mode.TEST, null, "Checkout", KeyType.PUBLISHABLE,
                    Permissions.of(READ_CREATE), Map.of(), null, false, SECRET, ACTOR, NOW, "req_0");
            fixture.given(publishable)
                    .when(report(SECRET.sha256()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aSandboxKeyIsRevokedWhoeverReportsIt() {
            KeyCreated sandbox = new KeyCreated(KEY, ACCOUNT, Mode.TEST, null, "Tests", KeyType.SECRET,
                    Permissions.of(READ_CREATE), Map.of(), null, false, SECRET, ACTOR, NOW, "req_0");
            fixture.given(sandbox)
                    .when(report(SECRET.sha256()))
                    .expectEvents(new KeyExposed(KEY, ACCOUNT, Mode.TEST, null, List.of(SECRET.sha256()),
                            KeyExposed.GITHUB, URL, GITHUB, NOW, "req_7"));
        }
    }
}
