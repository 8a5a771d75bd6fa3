package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.ACCOUNT;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.ACTOR;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.APP;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.HOLDS_ALL;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.KEY;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.NOW;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.READ_CREATE;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.SECRET;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.created;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.deleted;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.rejected;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Usage control on the key (contract: "Usage control"): rate limits and credits on create and patch, every
 * validation rule refused with its field and nothing stored, and the credits endpoint's operations and refusals.
 */
class UsageControlTest {

    private static final RateLimit PER_SECOND = new RateLimit("per_second", 10, 1_000);
    private static final RequestedUsage.RateLimit ASKED_PER_SECOND = new RequestedUsage.RateLimit("per_second", 10L,
            1_000L);

    private FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        AggregateTestFixture<ApiKey> aggregateFixture = new AggregateTestFixture<>(ApiKey.class);
        aggregateFixture.registerInjectableResource(new ApiKeyTest.SimulatedClock(aggregateFixture::currentTime));
        aggregateFixture.givenCurrentTime(NOW);
        fixture = aggregateFixture;
    }

    private static CreateKey create(List<RequestedUsage.RateLimit> ratelimits, RequestedUsage.Credits credits) {
        return new CreateKey(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", null, READ_CREATE, Map.of(), null, true, SECRET,
                ACTOR, HOLDS_ALL, "req_1", ratelimits, credits);
    }

    private static KeyCreated createdWith(List<RateLimit> ratelimits, Credits credits) {
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET, Permissions.of(READ_CREATE),
                Map.of(), null, true, SECRET, ACTOR, NOW, "req_1", ratelimits, credits);
    }

    private static PatchKey patch(Replace<List<RequestedUsage.RateLimit>> ratelimits,
                                  Replace<RequestedUsage.Credits> credits) {
        return new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, null, null, null, null, ACTOR, HOLDS_ALL, "req_2",
                ratelimits, credits);
    }

    private static AdjustCredits adjust(CreditsAdjusted.Operation operation, Long amount) {
        return new AdjustCredits(KEY, ACCOUNT, Mode.LIVE, operation, amount, ACTOR, "req_3");
    }

    /** A refusal of input, naming the offending field and a reason. */
    private static Matcher<Throwable> invalid(String field, String reason) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof KeyCommandRejected r && r.rejection() == Rejection.INVALID_INPUT
                        && field.equals(r.details().get("field")) && reason.equals(r.details().get("reason"));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("INVALID_INPUT of field " + field + " (" + reason + ")");
            }
        };
    }

    @Nested
    class OnCreate {

        @Test
        void limitsAndCreditsAreStoredWithTheKey() {
            RequestedUsage.Credits credits = new RequestedUsage.Credits(1_000L,
                    new RequestedUsage.Refill("monthly", 500L, 31));
            fixture.givenNoPriorActivity()
                    .when(create(List.of(ASKED_PER_SECOND, new RequestedUsage.RateLimit("per_day", 50_000L,
                            86_400_000L)), credits))
                    .expectEvents(createdWith(List.of(PER_SECOND, new RateLimit("per_day", 50_000, 86_400_000)),
                            new Credits(1_000, new Credits.Refill(Credits.Refill.Interval.MONTHLY, 500, 31))));
        }

        @Test
        void withoutThemTheKeyHasNoLimitsAndUnlimitedCredits() {
            fixture.givenNoPriorActivity()
                    .when(create(null, null))
                    .expectEvents(createdWith(List.of(), null));
        }

        @Test
        void aMonthlyRefillWithoutADayRefillsOnTheFirst() {
            fixture.givenNoPriorActivity()
                    .when(create(List.of(), new RequestedUsage.Credits(0L, new RequestedUsage.Refill("monthly", 5L,
                            null))))
                    .expectEvents(createdWith(List.of(), new Credits(0,
                            new Credits.Refill(Credits.Refill.Interval.MONTHLY, 5, 1))));
        }

        static Stream<org.junit.jupiter.params.provider.Arguments> refusedLimits() {
            List<RequestedUsage.RateLimit> eleven = new ArrayList<>();
            IntStream.range(0, 11).forEach(i -> eleven.add(new RequestedUsage.RateLimit("l" + i, 1L, 1_000L)));
            return Stream.of(
                    arguments(eleven, "ratelimits", "too_many"),
                    arguments(List.of(ASKED_PER_SECOND, ASKED_PER_SECOND), "ratelimits[1].name", "duplicate"),
                    arguments(java.util.Arrays.asList(ASKED_PER_SECOND, null), "ratelimits[1]", "required"),
                    arguments(List.of(new RequestedUsage.RateLimit(null, 1L, 1_000L)), "ratelimits[0].name",
                            "required"),
                    arguments(List.of(new RequestedUsage.RateLimit("Per-Second", 1L, 1_000L)), "ratelimits[0].name",
                            "invalid_value"),
                    arguments(List.of(new RequestedUsage.RateLimit("x".repeat(41), 1L, 1_000L)),
                            "ratelimits[0].name", "invalid_value"),
                    arguments(List.of(new RequestedUsage.RateLimit("", 1L, 1_000L)), "ratelimits[0].name",
                            "invalid_value"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", 0L, 1_000L)), "ratelimits[0].limit",
                            "out_of_range"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", 1_000_000_001L, 1_000L)),
                            "ratelimits[0].limit", "out_of_range"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", null, 1_000L)), "ratelimits[0].limit",
                            "required"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", 1L, 999L)), "ratelimits[0].duration_ms",
                            "out_of_range"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", 1L, 86_400_001L)),
                            "ratelimits[0].duration_ms", "out_of_range"),
                    arguments(List.of(new RequestedUsage.RateLimit("a", 1L, null)), "ratelimits[0].duration_ms",
                            "required"));
        }

        @ParameterizedTest(name = "{1} {2}")
        @MethodSource("refusedLimits")
        void aLimitOutsideTheContractIsRefusedByFieldAndNothingIsStored(List<RequestedUsage.RateLimit> limits,
                                                                        String field, String reason) {
            fixture.givenNoPriorActivity()
                    .when(create(limits, null))
                    .expectException(invalid(field, reason)).expectNoEvents();
        }

        static Stream<org.junit.jupiter.params.provider.Arguments> refusedCredits() {
            return Stream.of(
                    arguments(new RequestedUsage.Credits(null, null), "credits.remaining", "required"),
                    arguments(new RequestedUsage.Credits(-1L, null), "credits.remaining", "out_of_range"),
                    arguments(new RequestedUsage.Credits(1_000_000_000_001L, null), "credits.remaining",
                            "out_of_range"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("weekly", 1L, null)),
                            "credits.refill.interval", "invalid_value"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("Daily", 1L, null)),
                            "credits.refill.interval", "invalid_value"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill(null, 1L, null)),
                            "credits.refill.interval", "required"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("daily", 0L, null)),
                            "credits.refill.amount", "out_of_range"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("daily", null, null)),
                            "credits.refill.amount", "required"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("daily", 1L, 3)),
                            "credits.refill.refill_day", "not_allowed"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("monthly", 1L, 0)),
                            "credits.refill.refill_day", "out_of_range"),
                    arguments(new RequestedUsage.Credits(1L, new RequestedUsage.Refill("monthly", 1L, 32)),
                            "credits.refill.refill_day", "out_of_range"));
        }

        @ParameterizedTest(name = "{1} {2}")
        @MethodSource("refusedCredits")
        void creditsOutsideTheContractAreRefusedByFieldAndNothingIsStored(RequestedUsage.Credits credits,
                                                                          String field, String reason) {
            fixture.givenNoPriorActivity()
                    .when(create(List.of(), credits))
                    .expectException(invalid(field, reason)).expectNoEvents();
        }
    }

    @Nested
    class OnPatch {

        @Test
        void newLimitsAndCreditsAreOneUpdateNamingBoth() {
            fixture.given(createdWith(List.of(PER_SECOND), null))
                    .when(patch(Replace.with(List.of()), Replace.with(new RequestedUsage.Credits(20L, null))))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null, null, null, null,
                            new FieldChange<>(List.of(PER_SECOND), List.of()),
                            new FieldChange<>(null, new Credits(20, null))), ACTOR, NOW, "req_2"));
        }

        @Test
        void creditsNullMakesTheKeyUnlimited() {
            fixture.given(createdWith(List.of(), new Credits(5, null)))
                    .when(patch(null, Replace.with(null)))
                    .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null, null, null, null,
                            null, new FieldChange<>(new Credits(5, null), null)), ACTOR, NOW, "req_2"));
        }

        @Test
        void theSameLimitsAgainChangeNothing() {
            fixture.given(createdWith(List.of(PER_SECOND), null))
                    .when(patch(Replace.with(List.of(ASKED_PER_SECOND)), null))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aDuplicateNameIsRefusedAndNothingChanges() {
            fixture.given(createdWith(List.of(PER_SECOND), null))
                    .when(patch(Replace.with(List.of(ASKED_PER_SECOND, ASKED_PER_SECOND)), null))
                    .expectException(invalid("ratelimits[1].name", "duplicate")).expectNoEvents();
        }
    }

    @Nested
    class CreditsEndpoint {

        @Test
        void setIncrementAndDecrementAreEventsOfTheOperation() {
            fixture.given(createdWith(List.of(), new Credits(10, null)))
                    .when(adjust(CreditsAdjusted.Operation.DECREMENT, 25L))
                    .expectEvents(new CreditsAdjusted(KEY, ACCOUNT, Mode.LIVE, CreditsAdjusted.Operation.DECREMENT,
                            25, ACTOR, NOW, "req_3"));
        }

        @Test
        void setOnAnUnlimitedKeyLimitsIt() {
            fixture.given(createdWith(List.of(), null))
                    .when(adjust(CreditsAdjusted.Operation.SET, 0L))
                    .expectEvents(new CreditsAdjusted(KEY, ACCOUNT, Mode.LIVE, CreditsAdjusted.Operation.SET, 0,
                            ACTOR, NOW, "req_3"));
        }

        @Test
        void incrementAndDecrementOfAnUnlimitedKeyAre409CreditsUnlimited() {
            fixture.given(createdWith(List.of(), null))
                    .when(adjust(CreditsAdjusted.Operation.INCREMENT, 5L))
                    .expectException(rejected(Rejection.CREDITS_UNLIMITED)).expectNoEvents();
            fixture.given(createdWith(List.of(), null))
                    .when(adjust(CreditsAdjusted.Operation.DECREMENT, 5L))
                    .expectException(rejected(Rejection.CREDITS_UNLIMITED)).expectNoEvents();
        }

        @Test
        void aRevokedOrDeletedKeyIsRefusedAsForPatch() {
            fixture.given(createdWith(List.of(), new Credits(10, null)), deleted())
                    .when(adjust(CreditsAdjusted.Operation.SET, 5L))
                    .expectException(rejected(Rejection.KEY_DELETED)).expectNoEvents();
            fixture.given(createdWith(List.of(), new Credits(10, null)),
                            new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, APP, List.of(SECRET.sha256()), ACTOR, NOW, "r"))
                    .when(adjust(CreditsAdjusted.Operation.SET, 5L))
                    .expectException(rejected(Rejection.KEY_REVOKED)).expectNoEvents();
        }

        @Test
        void amountsOutsideTheirRangeAreRefusedByField() {
            fixture.given(createdWith(List.of(), new Credits(10, null)))
                    .when(adjust(CreditsAdjusted.Operation.INCREMENT, 0L))
                    .expectException(invalid("amount", "out_of_range")).expectNoEvents();
            fixture.given(createdWith(List.of(), new Credits(10, null)))
                    .when(adjust(CreditsAdjusted.Operation.SET, -1L))
                    .expectException(invalid("amount", "out_of_range")).expectNoEvents();
            fixture.given(createdWith(List.of(), new Credits(10, null)))
                    .when(adjust(CreditsAdjusted.Operation.SET, 1_000_000_000_001L))
                    .expectException(invalid("amount", "out_of_range")).expectNoEvents();
            fixture.given(createdWith(List.of(), new Credits(10, null)))
                    .when(adjust(CreditsAdjusted.Operation.SET, null))
                    .expectException(invalid("amount", "required")).expectNoEvents();
        }

        @Test
        void anotherAccountsKeyIsNotFound() {
            fixture.given(created(false))
                    .when(new AdjustCredits(KEY, new com.hsrcpay.apikeys.shared.key.AccountId("acct_other"),
                            Mode.LIVE, CreditsAdjusted.Operation.SET, 5L, ACTOR, "req_3"))
                    .expectException(rejected(Rejection.KEY_NOT_FOUND)).expectNoEvents();
        }
    }

    @Nested
    class Refills {

        private final RequestedUsage.Credits dailyHundred = new RequestedUsage.Credits(5L,
                new RequestedUsage.Refill("daily", 100L, null));
        private final Credits.Refill daily = new Credits.Refill(Credits.Refill.Interval.DAILY, 100, null);
        private final java.time.Instant midnight = java.time.Instant.parse("2026-11-25T00:00:00Z");

        @Test
        void aKeyCreatedWithARefillHasItsFirstRefillScheduled() {
            fixture.givenNoPriorActivity()
                    .when(create(List.of(), dailyHundred))
                    .expectScheduledDeadline(midnight, new RefillDue(midnight, daily))
                    .expectScheduledDeadlineWithName(midnight, ApiKey.REFILL_DEADLINE);
        }

        @Test
        void theRefillRestoresTheQuotaAndSchedulesTheNextOne() {
            fixture.givenCommands(create(List.of(), dailyHundred))
                    .whenTimeAdvancesTo(midnight)
                    .expectTriggeredDeadlinesWithName(ApiKey.REFILL_DEADLINE)
                    .expectEventsMatching(ApiKeyTest.deadlineEvents(new CreditsRefilled(KEY, ACCOUNT, Mode.LIVE, 100,
                            midnight, ApiKey.REFILL_ACTOR, midnight, "deadline:")))
                    .expectScheduledDeadline(midnight.plus(java.time.Duration.ofDays(1)),
                            new RefillDue(midnight.plus(java.time.Duration.ofDays(1)), daily));
        }

        @Test
        void nothingIsRefilledBeforeTheRefillInstant() {
            fixture.givenCommands(create(List.of(), dailyHundred))
                    .whenTimeAdvancesTo(midnight.minusMillis(1))
                    .expectNoEvents();
        }

        @Test
        void creditsPatchedAwayCancelTheRefill() {
            fixture.givenCommands(create(List.of(), dailyHundred))
                    .when(patch(null, Replace.with(null)))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anotherRefillReplacesTheScheduledOne() {
            java.time.Instant first = java.time.Instant.parse("2026-11-30T00:00:00Z");
            Credits.Refill monthly = new Credits.Refill(Credits.Refill.Interval.MONTHLY, 7, 30);
            fixture.givenCommands(create(List.of(), dailyHundred))
                    .when(patch(null, Replace.with(new RequestedUsage.Credits(5L,
                            new RequestedUsage.Refill("monthly", 7L, 30)))))
                    .expectScheduledDeadline(first, new RefillDue(first, monthly))
                    .expectNoScheduledDeadlineMatching(midnight, org.hamcrest.Matchers.anything());
        }

        @Test
        void aDeletedKeyIsNotRefilled() {
            fixture.givenCommands(create(List.of(), dailyHundred),
                            new SoftDeleteKey(KEY, ACCOUNT, Mode.LIVE, ACTOR, "req_5"))
                    .whenTimeAdvancesTo(midnight.plus(java.time.Duration.ofDays(3)))
                    .expectNoEvents();
        }

        @Test
        void aChangedRefillRefillsOnceWithTheNewAmount() {
            fixture.givenCommands(create(List.of(), dailyHundred), patch(null, Replace.with(new RequestedUsage.Credits(5L,
                            new RequestedUsage.Refill("daily", 50L, null)))))
                    .whenTimeAdvancesTo(midnight)
                    .expectEventsMatching(ApiKeyTest.deadlineEvents(new CreditsRefilled(KEY, ACCOUNT, Mode.LIVE, 50,
                            midnight, ApiKey.REFILL_ACTOR, midnight, "deadline:")));
        }
    }
}
