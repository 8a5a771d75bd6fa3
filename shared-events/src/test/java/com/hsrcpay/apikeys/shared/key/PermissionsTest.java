package com.hsrcpay.apikeys.shared.key;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;

/** The contract's permission rule, case by case, and what a key may never hold. */
class PermissionsTest {

    @Test
    void anEntryGrantsItsActionsOrAllOfThemWithAWildcard() {
        Permissions read = Permissions.of(Map.of("account:api:key", List.of("read")));
        assertThat(read.allows("account:api:key:read")).isTrue();
        assertThat(read.allows("account:api:key:delete")).isFalse();
        assertThat(read.allows("account:api:keys:read")).as("no prefix matching").isFalse();
        assertThat(read.allows("account:api:read")).isFalse();
        Permissions all = Permissions.of(Map.of("account:api:key", List.of("*")));
        assertThat(all.allows("account:api:key:delete")).isTrue();
        assertThat(all.allows("account:api:other:delete")).isFalse();
    }

    @Test
    void onlyStarStarGrantsEverythingAndAStarResourceAloneGrantsNothing() {
        assertThat(Permissions.of(Map.of("*", List.of("*"))).allows("anything:at:all")).isTrue();
        assertThat(Permissions.of(Map.of("*", List.of("read"))).allows("account:api:key:read")).isFalse();
        assertThat(Permissions.none().allows("account:api:key:read")).isFalse();
    }

    @Test
    void malformedPermissionsAreNeverGranted() {
        Permissions all = Permissions.fromStrings(List.of("*"));
        for (String malformed : new String[]{"", ":", "read", ":read"}) {
            assertThat(all.allows(malformed)).as("'%s'", malformed).isFalse();
        }
    }

    @Test
    void aKeyNeverHoldsThePlatformNamespaceWhateverItsMap() {
        qt().forAll(arbitrary().pick(List.of("platform:api:key:verify", "platform:metrics:read",
                        "platform:projections:replay", "platform:x")),
                arbitrary().pick(List.of(Map.of("*", List.of("*")), Map.of("platform:api:key", List.of("*")),
                        Map.of("platform", List.of("*")), Map.of("platform:api:key", List.of("verify")))))
                .checkAssert((permission, map) -> assertThat(Permissions.of(map).allowsAsKey(permission)).isFalse());
        assertThat(Permissions.fromStrings(List.of("*")).allowsAsKey("account:api:key:read")).isTrue();
        assertThat(Permissions.isReserved("platform")).isTrue();
        assertThat(Permissions.isReserved("platformer:x")).isFalse();
    }

    @Test
    void jwtPermissionStringsBecomeAMap() {
        Permissions p = Permissions.fromStrings(List.of("account:api:key:read", "account:api:key:create", " ",
                "notapermission", "*"));
        assertThat(p.grants()).containsEntry("account:api:key", List.of("read", "create"))
                .containsEntry("*", List.of("*")).doesNotContainKey("notapermission");
    }

    @Test
    void equalMapsAreEqualWhateverTheirOrder() {
        assertThat(Permissions.of(Map.of("b", List.of("x"), "a", List.of("y"))).grants().keySet())
                .containsExactly("a", "b");
    }
}
