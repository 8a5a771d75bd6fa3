package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The one fold, event type by event type, and the guarantee that every event type has its place in it. */
class KeyFoldTest {

    static final KeyId KEY = KeyId.newId();
    static final AccountId ACCOUNT = new AccountId("acct_fold");
    static final Actor ACTOR = new Actor(Actor.Type.USER, "u1");
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final SecretFingerprint FIRST = new SecretFingerprint("a".repeat(64), "sk_live_…aaaa");
    static final SecretFingerprint SECOND = new SecretFingerprint("b".repeat(64), "sk_live_…bbbb");
    static final SecretFingerprint THIRD = new SecretFingerprint("c".repeat(64), "sk_live_…cccc");

    static KeyCreated created() {
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, null, "Backend", KeyType.SECRET,
                Permissions.fromStrings(List.of("account:api:key:read")), Map.of("team", "pay"), null, true, FIRST,
                ACTOR, T0, "r0");
    }

    static KeyState fold(KeyEvent... events) {
        KeyState state = null;
        for (KeyEvent event : events) {
            state = KeyFold.evolve(state, event);
        }
        return state;
    }

    @Test
    void everyEventTypeOfTheSealedHierarchyHasItsOwnVisitorMethod() {
        Set<Class<?>> eventTypes = leaves(KeyEvent.class);
        Set<Class<?>> visited = Arrays.stream(KeyEvent.Visitor.class.getDeclaredMethods())
                .map(m -> m.getParameterTypes()[0]).collect(Collectors.toSet());
        assertThat(visited).as("one visitor method per concrete event type").isEqualTo(eventTypes);
        for (Method m : KeyEvent.Visitor.class.getDeclaredMethods()) {
            assertThat(m.getParameterCount()).isEqualTo(1);
        }
    }

    @Test
    void creationStartsTheKeyAndEveryEventCountsAsAVersion() {
        KeyState state = fold(created());
        assertThat(state.version()).isEqualTo(1);
        assertThat(state.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(state.secretHint()).isEqualTo(FIRST.hint());
        assertThat(state.usableSecrets()).containsOnlyKeys(FIRST.sha256());
        assertThat(state.createdAt()).isEqualTo(T0).isEqualTo(state.updatedAt());
        assertThatIllegalArgumentException().isThrownBy(() -> KeyFold.evolve(null,
                new KeyActivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, T0, "r")));
    }

    @Test
    void rotationsMoveTheSecretsAndGracesEnd() {
        Instant graceEnd = T0.plusSeconds(600);
        KeyState withGrace = fold(created(), new SecretRotated(KEY, ACCOUNT, Mode.LIVE, null, SECOND, FIRST.sha256(),
                graceEnd, List.of(), List.of(), ACTOR, T0.plusSeconds(1), "r1"));
        assertThat(withGrace.secretHint()).isEqualTo(SECOND.hint());
        assertThat(withGrace.usableSecrets()).containsEntry(FIRST.sha256(), graceEnd).containsKey(SECOND.sha256());
        assertThat(withGrace.usableSecrets().get(SECOND.sha256())).isNull();

        KeyState cutShort = KeyFold.evolve(withGrace, new SecretRotated(KEY, ACCOUNT, Mode.LIVE, null, THIRD,
                SECOND.sha256(), T0.plusSeconds(2), List.of(FIRST.sha256(), SECOND.sha256()),
                List.of(FIRST.sha256(), SECOND.sha256()), ACTOR, T0.plusSeconds(2), "r2"));
        assertThat(cutShort.usableSecrets()).containsOnlyKeys(THIRD.sha256());
        assertThat(cutShort.version()).isEqualTo(3);

        KeyState retired = KeyFold.evolve(withGrace, new SecretRetired(KEY, ACCOUNT, Mode.LIVE, null, FIRST.sha256(),
                List.of(FIRST.sha256()), ACTOR, graceEnd, "deadline:1"));
        assertThat(retired.usableSecrets()).containsOnlyKeys(SECOND.sha256());
        assertThat(retired.secretHint()).as("the key object does not change").isEqualTo(withGrace.secretHint());
    }

    @Test
    void updatesChangeOnlyWhatTheyName() {
        KeyState before = fold(created());
        KeyState after = KeyFold.evolve(before, new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                new KeyChanges(new FieldChange<>("Backend", "Renamed"), null,
                        new FieldChange<>(null, T0.plusSeconds(3600)), null), ACTOR, T0.plusSeconds(5), "r1"));
        assertThat(after.name()).isEqualTo("Renamed");
        assertThat(after.expiresAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(after.permissions()).isEqualTo(before.permissions());
        assertThat(after.metadata()).isEqualTo(before.metadata());
        assertThat(after.updatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void usageControlIsCreatedUpdatedAndAdjustedByItsEvents() {
        RateLimit perSecond = new RateLimit("per_second", 10, 1_000);
        Credits.Refill daily = new Credits.Refill(Credits.Refill.Interval.DAILY, 100, null);
        KeyState plain = fold(created());
        assertThat(plain.ratelimits()).isEmpty();
        assertThat(plain.credits()).as("unlimited").isNull();

        KeyState limited = KeyFold.evolve(plain, new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null, null,
                null, null, new FieldChange<>(List.of(), List.of(perSecond)), new FieldChange<>(null,
                new Credits(10, daily))), ACTOR, T0.plusSeconds(1), "r1"));
        assertThat(limited.ratelimits()).containsExactly(perSecond);
        assertThat(limited.credits()).isEqualTo(new Credits(10, daily));
        assertThat(limited.name()).as("the rest stays").isEqualTo(plain.name());

        KeyState decremented = KeyFold.evolve(limited, adjusted(CreditsAdjusted.Operation.DECREMENT, 25));
        assertThat(decremented.credits()).as("a decrease stops at 0, the refill stays")
                .isEqualTo(new Credits(0, daily));
        assertThat(decremented.version()).isEqualTo(3);
        KeyState incremented = KeyFold.evolve(decremented, adjusted(CreditsAdjusted.Operation.INCREMENT, 7));
        assertThat(incremented.credits().remaining()).isEqualTo(7);
        assertThat(KeyFold.evolve(incremented, adjusted(CreditsAdjusted.Operation.SET, 3)).credits().remaining())
                .isEqualTo(3);
        assertThat(KeyFold.evolve(plain, adjusted(CreditsAdjusted.Operation.SET, 3)).credits())
                .as("a set limits an unlimited key, without a refill").isEqualTo(new Credits(3, null));
        assertThat(KeyFold.secretsStopped(adjusted(CreditsAdjusted.Operation.SET, 0))).isEmpty();

        KeyState refilled = KeyFold.evolve(decremented, new CreditsRefilled(KEY, ACCOUNT, Mode.LIVE, 100,
                T0.plusSeconds(3), ACTOR, T0.plusSeconds(3), "deadline:1"));
        assertThat(refilled.credits()).as("a refill restores the quota").isEqualTo(new Credits(100, daily));
        assertThat(refilled.version()).isEqualTo(decremented.version() + 1);
        assertThat(decremented.lastRefillAt()).as("never refilled before").isNull();
        assertThat(refilled.lastRefillAt()).as("when the refill was applied").isEqualTo(T0.plusSeconds(3));
        KeyState adjustedAfter = KeyFold.evolve(refilled, adjusted(CreditsAdjusted.Operation.INCREMENT, 1));
        assertThat(adjustedAfter.lastRefillAt()).as("kept by later events").isEqualTo(T0.plusSeconds(3));
    }

    private static CreditsAdjusted adjusted(CreditsAdjusted.Operation operation, long amount) {
        return new CreditsAdjusted(KEY, ACCOUNT, Mode.LIVE, operation, amount, ACTOR, T0.plusSeconds(2), "r2");
    }

    @Test
    void statusEventsAndTerminations() {
        KeyState inactive = fold(created(), new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, T0, "r1"));
        assertThat(inactive.status()).isEqualTo(KeyStatus.INACTIVE);
        assertThat(inactive.usableSecrets()).as("INACTIVE can be undone: secrets stay").isNotEmpty();
        assertThat(KeyFold.evolve(inactive, new KeyActivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, T0, "r2")).status())
                .isEqualTo(KeyStatus.ACTIVE);

        List<String> dead = List.of(FIRST.sha256());
        KeyState deleted = fold(created(), new KeyDeleted(KEY, ACCOUNT, Mode.LIVE, null, dead, ACTOR, T0, "r1"));
        assertThat(deleted.status()).isEqualTo(KeyStatus.REVOKED);
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.usableSecrets()).isEmpty();
        assertThat(deleted.terminated()).isTrue();

        KeyState revoked = fold(created(), new KeyRevoked(KEY, ACCOUNT, Mode.LIVE, null, dead, ACTOR, T0, "r1"));
        assertThat(revoked.status()).isEqualTo(KeyStatus.REVOKED);
        assertThat(revoked.deleted()).isFalse();
        KeyState expired = fold(created(), new KeyExpired(KEY, ACCOUNT, Mode.LIVE, null, dead, ACTOR, T0, "r1"));
        assertThat(expired.status()).isEqualTo(KeyStatus.EXPIRED);
        assertThat(expired.usableSecrets()).isEmpty();
        KeyExposed exposure = new KeyExposed(KEY, ACCOUNT, Mode.LIVE, null, dead, KeyExposed.GITHUB,
                "https://github.com/o/r/blob/1/.env", ACTOR, T0, "r1");
        KeyState exposed = fold(created(), new KeyDeactivated(KEY, ACCOUNT, Mode.LIVE, ACTOR, T0, "r1"), exposure);
        assertThat(exposed.status()).as("an INACTIVE key exposed").isEqualTo(KeyStatus.REVOKED);
        assertThat(exposed.deleted()).isFalse();
        assertThat(exposed.usableSecrets()).isEmpty();
        assertThat(exposed.terminated()).isTrue();
        assertThat(KeyFold.secretsStopped(exposure)).containsOnly(FIRST.sha256());
    }

    @Test
    void theSecretsAnEventStopsAreKnownWithoutAState() {
        assertThat(KeyFold.secretsStopped(created())).isEmpty();
        assertThat(KeyFold.secretsStopped(new SecretRetired(KEY, ACCOUNT, Mode.LIVE, null, FIRST.sha256(),
                List.of(FIRST.sha256()), ACTOR, T0, "r"))).containsOnly(FIRST.sha256());
        assertThat(KeyFold.secretsStopped(new KeyExpired(KEY, ACCOUNT, Mode.LIVE, null,
                List.of(FIRST.sha256(), SECOND.sha256()), ACTOR, T0, "r"))).containsOnly(FIRST.sha256(), SECOND.sha256());
    }

    private static Set<Class<?>> leaves(Class<?> type) {
        Set<Class<?>> all = new HashSet<>();
        if (!type.isSealed()) {
            all.add(type);
            return all;
        }
        for (Class<?> sub : type.getPermittedSubclasses()) {
            all.addAll(leaves(sub));
        }
        return all;
    }
}
