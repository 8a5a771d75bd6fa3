package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.Permissions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The invariant behind the grant rule, over random maps and random chains of keys minting keys (QuickTheories, which
 * shrinks a failing case to a smallest one): whatever a key allows as a credential, the credential at the start of
 * its chain allows too, and no key allows anything of the reserved namespace.
 */
class NoEscalationPropertyTest {

    private static final List<String> RESOURCES = List.of("*", "account:api:key", "account:api", "account:payments",
            "platform:api:key", "platform", "account:webhook:endpoint");
    private static final List<String> ACTIONS = List.of("*", "read", "create", "update", "delete", "verify");
    /** Every permission a check could ask about, reserved ones included. */
    private static final List<String> PROBES = probes();

    @Test
    void aGrantedMapAllowsNothingItsGrantorDoesNot() {
        qt().withExamples(2000).forAll(maps(), maps()).checkAssert((granted, grantor) -> {
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
        });
    }

    @Test
    void noChainOfKeysEndsStrongerThanItsFirstCreator() {
        qt().withExamples(500).forAll(maps(), lists().of(maps()).ofSizeBetween(1, 8)).checkAssert((creator, attempts) -> {
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
        });
    }

    @Test
    void aHolderCanAlwaysGrantAnyPartOfWhatItHoldsOutsideTheReservedNamespace() {
        qt().withExamples(300).forAll(maps()).checkAssert(held -> {
            Map<String, List<String>> part = new LinkedHashMap<>();
            held.forEach((resource, actions) -> {
                if (!Permissions.isReserved(resource)) {
                    part.put(resource, List.of(actions.get(0)));
                }
            });
            assertThat(grantable(Permissions.of(part), Permissions.of(held))).isTrue();
        });
    }

    /** Permission maps of up to four resources, each with one to three distinct actions. */
    private static Gen<Map<String, List<String>>> maps() {
        Gen<List<String>> actions = lists().of(arbitrary().pick(ACTIONS)).ofSizeBetween(1, 3)
                .map(picked -> List.copyOf(new LinkedHashSet<>(picked)));
        Gen<Map.Entry<String, List<String>>> entries = arbitrary().pick(RESOURCES).zip(actions, Map::entry);
        return lists().of(entries).ofSizeBetween(0, 4).map(list -> {
            Map<String, List<String>> map = new LinkedHashMap<>();
            list.forEach(entry -> map.putIfAbsent(entry.getKey(), entry.getValue()));
            return map;
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
