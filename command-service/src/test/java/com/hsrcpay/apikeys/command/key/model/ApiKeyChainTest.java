package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.ACCOUNT;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.ACTOR;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.APP;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.KEY;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.NOW;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.READ_CREATE;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.SECRET;

/** Every event the aggregate applies carries its {@link EventChain} digest, chained to the key's previous event. */
class ApiKeyChainTest {

    FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        AggregateTestFixture<ApiKey> aggregateFixture = new AggregateTestFixture<>(ApiKey.class);
        aggregateFixture.registerInjectableResource(new ApiKeyTest.SimulatedClock(aggregateFixture::currentTime));
        aggregateFixture.givenCurrentTime(NOW);
        fixture = aggregateFixture;
    }

    @Test
    void theFirstEventIsChainedToGenesis() {
        KeyCreated expected = new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET,
                Permissions.of(READ_CREATE), Map.of(), null, false, SECRET, ACTOR, NOW, "req_1");
        fixture.givenNoPriorActivity()
                .when(ApiKeyTest.create("Backend", READ_CREATE, null, null, false))
                .expectEventsMatching(chained(List.of(expected), List.of(EventChain.digest(null, 0, expected))));
    }

    @Test
    void laterEventsChainToTheStoredDigestOfTheirPredecessorEvenWithinOneCommand() {
        KeyCreated created = ApiKeyTest.created(false);
        String first = EventChain.digest(null, 0, created);
        KeyUpdated renamed = new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                new KeyChanges(new FieldChange<>("Backend", "Renamed"), null, null, null), ACTOR, NOW, "req_2");
        KeyDeactivated deactivated = new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, NOW, "req_2");
        String second = EventChain.digest(first, 1, renamed);
        String third = EventChain.digest(second, 2, deactivated);
        fixture.given(List.of(new GenericDomainEventMessage<>("ApiKey", KEY.toString(), 0, created,
                        MetaData.with(EventChain.METADATA_KEY, first))))
                .when(ApiKeyTest.patch(null, Replace.with("Renamed"), Replace.with("INACTIVE")))
                .expectEventsMatching(chained(List.of(renamed, deactivated), List.of(second, third)));
    }

    static Matcher<List<EventMessage<?>>> chained(List<KeyEvent> payloads, List<String> digests) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> actual) {
                if (actual.size() != payloads.size()) {
                    return false;
                }
                for (int i = 0; i < actual.size(); i++) {
                    if (!actual.get(i).getPayload().equals(payloads.get(i))
                            || !digests.get(i).equals(actual.get(i).getMetaData().get(EventChain.METADATA_KEY))) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("events " + payloads + " with chain digests " + digests);
            }
        };
    }
}
