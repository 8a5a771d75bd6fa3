package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.command.KeyCommandRejected;
import com.hsrcpay.apikeys.shared.key.Permissions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariant behind the grant rule, over random maps and random chains of keys minting keys: whatever a key
 * allows as a credential, the credential at the start of its chain allows too, and no key allows anything of the
 * reserved namespace.
 */
class NoEscalationPropertyTest {

    private static final List<String> RESOURCES = List.of("*", "account:api:key", "account:api", "account:payments",
            "platform:api:key", "platform", "account:webhook:endpoint");
    private static final List<String> ACTIONS = List.of("*", "read", "create", "update", "delete", "verify");
    /** Every permission a check could ask about, reserved ones included. */
    private static final List<String> PROBES = probes();

    @Property(tries = 2000)
    void aGrantedMapAllowsNothingItsGrantorDoesNot(@ForAll("maps") Map<String, List<String>> granted,
                                                   @ForAll("maps") Map<String, List<String>> grantor) {
        Permissions key = Permissions.of(granted);
        Permissions holder = Permissions.of(grantor);
        if (!grantable(key, holder)) {
            return;
        }
        for (String probe : PROBES) {
            if (key.allowsAsKey(probe)) {
                assertThat(holder.allows(probe)).as("%s granted by %s allows %s", granted, grantor, probe).isTrue();
            }
        }
        assertThat(key.grants().keySet()).noneMatch(Permissions::isReserved);
    }

    @Property(tries = 500)
    void noChainOfKeysEndsStrongerThanItsFirstCreator(@ForAll("maps") Map<String, List<String>> creator,
                                                     @ForAll("chains") List<Map<String, List<String>>> attempts) {
        Permissions first = Permissions.of(creator);
        Permissions current = first;
        for (Map<String, List<String>> attempt : attempts) {
            Permissions next = Permissions.of(attempt);
            if (grantable(next, current)) {
                current = next; // this key now mints the next one
            }
            for (String probe : PROBES) {
                if (current != first && current.allowsAsKey(probe)) {
                    assertThat(first.allows(probe)).as("chain from %s ends allowing %s", creator, probe).isTrue();
                }
            }
        }
    }

    @Property(tries = 300)
    void aHolderCanAlwaysGrantAnyPartOfWhatItHoldsOutsideTheReservedNamespace(
            @ForAll("maps") Map<String, List<String>> held) {
        Map<String, List<String>> part = new LinkedHashMap<>();
        held.forEach((resource, actions) -> {
            if (!Permissions.isReserved(resource)) {
                part.put(resource, List.of(actions.get(0)));
            }
        });
        assertThat(grantable(Permissions.of(part), Permissions.of(held))).isTrue();
    }

    @Provide
    Arbitrary<Map<String, List<String>>> maps() {
        Arbitrary<List<String>> actions = Arbitraries.of(ACTIONS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        return Arbitraries.maps(Arbitraries.of(RESOURCES), actions).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Map<String, List<String>>>> chains() {
        return Combinators.combine(maps(), maps(), maps()).as(List::of).list().ofMaxSize(3)
                .map(lists -> {
                    List<Map<String, List<String>>> flat = new ArrayList<>();
                    lists.forEach(flat::addAll);
                    return flat;
                });
    }

    private static boolean grantable(Permissions granted, Permissions grantor) {
        try {
            PermissionGrants.requireGrantable(granted, grantor);
            return true;
        } catch (KeyCommandRejected refused) {
            return false;
        }
    }

    private static List<String> probes() {
        List<String> all = new ArrayList<>();
        for (String resource : RESOURCES) {
            for (String action : ACTIONS) {
                if (!resource.equals("*")) {
                    all.add(resource + ":" + action);
                }
            }
        }
        all.add("account:api:key:anything");
        all.add("platform:metrics:read");
        return all;
    }
}
