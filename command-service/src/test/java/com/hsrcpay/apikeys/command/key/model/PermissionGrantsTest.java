package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
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
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.NEW_SECRET;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.NOW;
import static com.hsrcpay.apikeys.command.key.model.ApiKeyTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The grant rule of the contract ("Granting permissions"), on the aggregate for create, patch and rotate, and on the
 * rule itself for every shape: subset, wildcards, the reserved namespace, keys minting keys.
 */
class PermissionGrantsTest {

    static final Map<String, List<String>> KEY_READ = Map.of("account:api:key", List.of("read"));
    static final Permissions CREATE_ONLY = Permissions.fromStrings(List.of("account:api:key:create"));
    static final Permissions READ_CREATE = Permissions.fromStrings(List.of("account:api:key:read",
            "account:api:key:create"));

    FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        AggregateTestFixture<ApiKey> aggregateFixture = new AggregateTestFixture<>(ApiKey.class);
        aggregateFixture.registerInjectableResource(new ApiKeyTest.SimulatedClock(aggregateFixture::currentTime));
        aggregateFixture.givenCurrentTime(NOW);
        fixture = aggregateFixture;
    }

    static CreateKey create(Map<String, List<String>> permissions, Permissions holder) {
        return new CreateKey(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", null, permissions, Map.of(), null, true,
                SECRET, ACTOR, holder, "req_1");
    }

    static KeyCreated created(Map<String, List<String>> permissions) {
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET, Permissions.of(permissions),
                Map.of(), null, true, SECRET, ACTOR, NOW.minusSeconds(3600), "req_0");
    }

    static PatchKey patchPermissions(Map<String, List<String>> permissions, Permissions holder) {
        return new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, null, Replace.with(permissions), null, null, null, ACTOR,
                holder, "req_2");
    }

    // --- the aggregate ---------------------------------------------------------------------------------------

    @Test
    void aCreateOnlyCredentialCreatesNothingItDoesNotHold() {
        // issue 10, item 1: this exact map was answered 201 and then verified other accounts' keys
        fixture.givenNoPriorActivity()
                .when(create(Map.of("*", List.of("*"), "platform:api:key", List.of("verify")), CREATE_ONLY))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("*", List.of("*"), "platform:api:key", List.of("verify"))));
    }

    @Test
    void aCreateWithinWhatTheCredentialHoldsIsIssued() {
        fixture.givenNoPriorActivity()
                .when(create(KEY_READ, READ_CREATE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new KeyCreated(KEY, ACCOUNT, Mode.LIVE, APP, "Backend", KeyType.SECRET,
                        Permissions.of(KEY_READ), Map.of(), null, true, SECRET, ACTOR, NOW, "req_1"));
    }

    @Test
    void aCreateBeyondWhatTheCredentialHoldsIsRefusedNamingTheEntries() {
        fixture.givenNoPriorActivity()
                .when(create(Map.of("account:api:key", List.of("read", "delete")), READ_CREATE))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("account:api:key", List.of("delete"))));
    }

    @Test
    void evenAnAllPowerfulCredentialCannotGiveAKeyTheReservedNamespace() {
        fixture.givenNoPriorActivity()
                .when(create(Map.of("platform:api:key", List.of("verify"), "account:api:key", List.of("read")),
                        Permissions.fromStrings(List.of("*"))))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("platform:api:key", List.of("verify"))));
    }

    @Test
    void aPatchThatAddsWhatTheCallerLacksIsRefusedAndChangesNothing() {
        fixture.given(created(KEY_READ))
                .when(patchPermissions(Map.of("account:api:key", List.of("read", "delete")), READ_CREATE))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("account:api:key", List.of("delete"))));
    }

    @Test
    void aPatchWithinWhatTheCallerHoldsChangesThePermissions() {
        fixture.given(created(Map.of("account:api:key", List.of("read", "create"))))
                .when(patchPermissions(KEY_READ, READ_CREATE))
                .expectEvents(new KeyUpdated(KEY, ACCOUNT, Mode.LIVE, new KeyChanges(null, new FieldChange<>(
                        Permissions.of(Map.of("account:api:key", List.of("read", "create"))),
                        Permissions.of(KEY_READ)), null, null), ACTOR, NOW, "req_2"));
    }

    @Test
    void aPatchIsJudgedOnTheWholeNewMapNotOnlyWhatChanged() {
        // the key holds delete; the caller does not: keeping it in the map is granting it again
        fixture.given(created(Map.of("account:api:key", List.of("read", "delete"))))
                .when(patchPermissions(Map.of("account:api:key", List.of("read", "delete"), "account:x", List.of("read")),
                        Permissions.fromStrings(List.of("account:api:key:read", "account:x:read"))))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("account:api:key", List.of("delete"))));
    }

    @Test
    void aPatchThatDoesNotTouchPermissionsNeedsNoGrant() {
        fixture.given(created(Map.of("*", List.of("*"))))
                .when(new PatchKey(KEY, ACCOUNT, Mode.LIVE, null, Replace.with("Renamed"), null, null, null, null,
                        ACTOR, CREATE_ONLY, "req_2"))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void regeneratingAKeyStrongerThanTheCallerIsRefused() {
        // the new secret is a working credential with the key's permissions: it goes only to who holds them
        fixture.given(created(Map.of("*", List.of("*"))))
                .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, READ_CREATE, "req_3"))
                .expectNoEvents()
                .expectException(notGrantable(Map.of("*", List.of("*"))));
    }

    @Test
    void regeneratingAKeyTheCallerCouldHaveGrantedWorks() {
        fixture.given(created(KEY_READ))
                .when(new RotateKey(KEY, ACCOUNT, Mode.LIVE, NEW_SECRET, 0, ACTOR, READ_CREATE, "req_3"))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aCommandWithoutTheActorsPermissionsGrantsNothing() {
        fixture.givenNoPriorActivity()
                .when(create(KEY_READ, null))
                .expectNoEvents()
                .expectException(notGrantable(KEY_READ));
    }

    // --- the rule, shape by shape ------------------------------------------------------------------------------

    @Test
    void anActionWildcardNeedsTheSameWildcard() {
        Map<String, List<String>> allOnKeys = Map.of("account:api:key", List.of("*"));
        assertRefused(allOnKeys, READ_CREATE);
        assertGranted(allOnKeys, Permissions.of(Map.of("account:api:key", List.of("*"))));
        assertGranted(allOnKeys, Permissions.fromStrings(List.of("*")));
    }

    @Test
    void aResourceWildcardNeedsTheSameWildcard() {
        assertRefused(Map.of("*", List.of("*")), Permissions.of(Map.of("account:api:key", List.of("*"))));
        assertRefused(Map.of("*", List.of("*")), Permissions.of(Map.of("*", List.of("read"))));
        assertGranted(Map.of("*", List.of("read")), Permissions.of(Map.of("*", List.of("read"))));
        assertGranted(Map.of("*", List.of("*")), Permissions.fromStrings(List.of("*")));
    }

    @Test
    void anActionIsGrantedByTheActionOrTheResourceWildcardHeld() {
        assertGranted(KEY_READ, Permissions.of(Map.of("account:api:key", List.of("*"))));
        assertGranted(Map.of("account:api:key", List.of("read", "update")), Permissions.fromStrings(List.of("*")));
        assertRefused(KEY_READ, Permissions.of(Map.of("account:api", List.of("*"))));
    }

    @Test
    void theReservedNamespaceIsNeverGrantableWhateverItsSpelling() {
        Permissions everything = Permissions.fromStrings(List.of("*"));
        assertRefused(Map.of("platform", List.of("read")), everything);
        assertRefused(Map.of("platform:metrics", List.of("read")), everything);
        assertGranted(Map.of("platformer:thing", List.of("read")), everything);
    }

    @Test
    void aKeyMintingKeysPassesOnAtMostItsOwnMap() {
        Permissions firstKey = Permissions.of(Map.of("account:api:key", List.of("create", "read")));
        assertGranted(Map.of("account:api:key", List.of("read")), firstKey);
        assertRefused(Map.of("account:api:key", List.of("*")), firstKey);
        assertRefused(Map.of("*", List.of("*")), firstKey);
    }

    static void assertGranted(Map<String, List<String>> granted, Permissions holder) {
        assertThatCode(() -> PermissionGrants.requireGrantable(Permissions.of(granted), holder)).doesNotThrowAnyException();
    }

    static void assertRefused(Map<String, List<String>> granted, Permissions holder) {
        assertThatThrownBy(() -> PermissionGrants.requireGrantable(Permissions.of(granted), holder))
                .isInstanceOfSatisfying(KeyCommandRejected.class,
                        e -> assertThat(e.rejection()).isEqualTo(Rejection.PERMISSION_NOT_GRANTABLE));
    }

    /** A 403 {@code permission_not_grantable} on {@code permissions} naming exactly {@code entries}. */
    static Matcher<KeyCommandRejected> notGrantable(Map<String, List<String>> entries) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(KeyCommandRejected e) {
                return e.rejection() == Rejection.PERMISSION_NOT_GRANTABLE
                        && "permission_not_grantable".equals(e.details().get("reason"))
                        && "permissions".equals(e.details().get("field"))
                        && entries.equals(e.details().get("not_grantable"));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("permission_not_grantable naming " + entries);
            }
        };
    }
}
