package com.hsrcpay.apikeys.localstack.resilience;

import org.assertj.core.api.SoftAssertions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mixed write workload: each turn one key's life (create with an Idempotency-Key, rename, rotate when managed,
 * delete every third), and the check that every acknowledged write is in the event store, at the version its answer
 * named, as the event it asked for, and no write twice.
 */
final class Lifecycles {

    private static final Map<String, String> EVENT_OF = Map.of(
            "create", "KeyCreated", "patch", "KeyUpdated", "rotate", "SecretRotated", "delete", "KeyDeleted");

    private Lifecycles() {
    }

    /** Labels are {@code <write>#<turn>}, so a create without an answer can be retried with its Idempotency-Key. */
    static LoadGenerator.Script of(Merchant merchant) {
        return (n, record) -> {
            boolean managed = n % 2 == 0;
            Outcome created = createOf(merchant, n).send();
            record.accept(created);
            if (created.status() != 201) {
                return;
            }
            String id = created.data("id");
            Outcome patched = merchant.patch("patch#" + n, id, Map.of("name", "Life " + n + " renamed"), null).send();
            record.accept(patched);
            if (!patched.answered()) {
                return;
            }
            if (managed) {
                Outcome rotated = merchant.regenerate("rotate#" + n, id, 0).send();
                record.accept(rotated);
                if (!rotated.answered()) {
                    return;
                }
            }
            if (n % 3 == 0) {
                record.accept(merchant.delete("delete#" + n, id).send());
            }
        };
    }

    /**
     * Warms a freshly started system up (JIT, pools, caches) with {@code writes} writes of 8 clients on keys of their
     * own, so the first scenario is not measured against a cold JVM (a cold 100-way patch storm took 3.6 s, a warm
     * one 1.1 s).
     */
    static void warmUp(LoadGenerator api, int writes) {
        Merchant merchant = Merchant.named("warmup", api);
        LoadGenerator.Loop loop = api.loop(8, of(merchant));
        org.awaitility.Awaitility.await("warm-up writes").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> loop.completed() >= writes);
        loop.stop();
    }

    /** The create of turn {@code n}: the same body and Idempotency-Key every time it is sent. */
    static LoadGenerator.Request createOf(Merchant merchant, int n) {
        return merchant.create("create#" + n, Merchant.keyBody("Life " + n, n % 2 == 0),
                "life-" + merchant.account + "-" + n);
    }

    static String write(Outcome outcome) {
        return outcome.label().split("#")[0];
    }

    static int turn(Outcome outcome) {
        return Integer.parseInt(outcome.label().split("#")[1]);
    }

    /** Writes whose answer was a success (not idempotent replays: they wrote nothing). */
    static List<Outcome> acknowledged(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.status() == 200 || o.status() == 201)
                .filter(o -> !"true".equals(o.header("Idempotent-Replayed"))).toList();
    }

    static void assertAcknowledgedStoredOnce(SoftAssertions softly, Ledger ledger, Merchant merchant,
                                             List<Outcome> outcomes) {
        List<String> missing = new ArrayList<>();
        for (Outcome write : acknowledged(outcomes)) {
            List<String> events = ledger.eventTypes(write.data("id"));
            int version = Integer.parseInt(write.data("version"));
            if (events.size() < version || !events.get(version - 1).equals(EVENT_OF.get(write(write)))) {
                missing.add(write.label() + " v" + version + " (stored: " + events + ")");
            }
        }
        softly.assertThat(missing).as("acknowledged writes missing from the event store").isEmpty();
        softly.assertThat(ledger.eventsPerRequestId(merchant.account)).as("request ids applied more than once")
                .allSatisfy((requestId, count) -> org.assertj.core.api.Assertions.assertThat(count)
                        .as(requestId).isEqualTo(1));
    }
}
