package com.hsrcpay.apikeys.localstack.resilience;

import org.assertj.core.api.SoftAssertions;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The suite's assertions on many outcomes at once, phrased on their counts so that a failure reads as figures
 * ({@code {200=4, timeout=26}}, {@code slowest 10010 ms}) rather than as a hundred response bodies.
 */
final class Expect {

    private Expect() {
    }

    /** Every outcome has one of {@code allowed} (statuses such as "200", or failures such as "refused"). */
    static void only(SoftAssertions softly, String what, Collection<Outcome> outcomes, String... allowed) {
        Map<String, Long> kinds = kinds(outcomes);
        softly.assertThat(kinds.keySet()).as("%s: answers %s, allowed %s", what, kinds, Arrays.toString(allowed))
                .isSubsetOf(allowed);
    }

    /**
     * What the gateway answers a write of a credential that already has its writes in flight and got no turn within
     * the wait ({@code WriteTurns}): 429, in the envelope, with Retry-After.
     */
    static final String NO_TURN = "429";

    /** Every 429 among the outcomes is the gateway's refusal of a turn, with reason and Retry-After. */
    static void turnRefusalsWellFormed(SoftAssertions softly, String what, Collection<Outcome> outcomes) {
        none(softly, what + ": a 429 that is not a refused turn with Retry-After", outcomes,
                o -> o.status() == 429 && !("too_many_concurrent_writes".equals(o.json().at("/error/details/reason")
                        .asText()) && "1".equals(o.header("Retry-After"))));
    }

    /** Exactly {@code expected} outcomes match. */
    static void exactly(SoftAssertions softly, String what, Collection<Outcome> outcomes, Predicate<Outcome> which,
                        long expected) {
        softly.assertThat(outcomes.stream().filter(which).count()).as("%s (answers %s)", what, kinds(outcomes))
                .isEqualTo(expected);
    }

    /** None matches {@code bad}, described by {@code what}. */
    static void none(SoftAssertions softly, String what, Collection<Outcome> outcomes, Predicate<Outcome> bad) {
        softly.assertThat(outcomes.stream().filter(bad).map(Outcome::toString).limit(3).toList())
                .as("%s (answers %s; first three shown)", what, kinds(outcomes)).isEmpty();
    }

    /** Every outcome came within {@code bound}. */
    static void within(SoftAssertions softly, String what, Collection<Outcome> outcomes, Duration bound) {
        long slower = outcomes.stream().filter(o -> !o.within(bound)).count();
        long slowest = outcomes.stream().mapToLong(Outcome::latencyNanos).max().orElse(0) / 1_000_000;
        softly.assertThat(slower).as("%s: requests slower than %d ms (of %d; slowest %d ms)", what, bound.toMillis(),
                outcomes.size(), slowest).isZero();
    }

    /** Answered (no timeout, no reset), no 5xx, within {@link Bounds#REQUEST}. */
    static void answeredWithinBound(SoftAssertions softly, String what, Collection<Outcome> outcomes) {
        none(softly, what + ": no 5xx, none without an answer", outcomes, o -> !o.answered() || o.serverError());
        within(softly, what, outcomes, Bounds.REQUEST);
    }

    static Map<String, Long> kinds(Collection<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(Outcome::kind, TreeMap::new, Collectors.counting()));
    }
}
