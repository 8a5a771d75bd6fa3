package com.hsrcpay.apikeys.localstack.hostile;

import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the contract fixes about the answer to one hostile request, beyond the four properties every answer must
 * have (no 5xx, the envelope of its path, no internal names, no change). Where the contract names no status,
 * {@link #anyStatus()} asserts only those four.
 *
 * @param statuses    the statuses the contract allows (empty: any below 500)
 * @param field       the prefix the envelope's {@code field} must start with, or null
 * @param reason      the envelope's {@code reason}, or null
 * @param answer      a rule on a successful answer's content, or null
 * @param answerRule  what {@code answer} checks, for the report
 */
record Expect(Set<Integer> statuses, String field, String reason, Predicate<RawHttp.Reply> answer,
              String answerRule) {

    static final int MAX_BODY_BYTES = 65_536;
    private static final Set<Integer> CLIENT_ERRORS =
            IntStream.range(400, 500).boxed().collect(Collectors.toUnmodifiableSet());

    static Expect anyStatus() {
        return new Expect(Set.of(), null, null, null, null);
    }

    /** Some 4xx: refused, the contract does not say which. */
    static Expect refused() {
        return new Expect(CLIENT_ERRORS, null, null, null, null);
    }

    static Expect status(Integer... statuses) {
        return new Expect(Set.of(statuses), null, null, null, null);
    }

    /** 400 naming {@code field} (or a field under it, e.g. {@code metadata.a}). */
    static Expect badField(String field) {
        return status(400).field(field);
    }

    /** A refused credential: 401, or 429 once the brute-force guard blocks the source. */
    static Expect refusedCredential() {
        return status(401, 429);
    }

    Expect field(String value) {
        return new Expect(statuses, value, reason, answer, answerRule);
    }

    Expect reason(String value) {
        return new Expect(statuses, field, value, answer, answerRule);
    }

    Expect answer(String rule, Predicate<RawHttp.Reply> check) {
        return new Expect(statuses, field, reason, check, rule);
    }

    /** A body over the limit is 413 before anything reads it, whatever else is wrong with it. */
    Expect forBodyOf(int bytes) {
        if (bytes > MAX_BODY_BYTES && !statuses.isEmpty()) {
            return status(413);
        }
        return this;
    }

    boolean allows(int status) {
        return statuses.isEmpty() ? status < 500 : statuses.contains(status);
    }

    String describe() {
        String text = statuses.isEmpty() ? "any status < 500"
                : statuses.equals(CLIENT_ERRORS) ? "4xx" : statuses.stream().sorted().map(String::valueOf)
                .collect(Collectors.joining("|"));
        if (field != null) {
            text += " field=" + field + "*";
        }
        if (reason != null) {
            text += " reason=" + reason;
        }
        if (answerRule != null) {
            text += " (" + answerRule + ")";
        }
        return text;
    }
}
