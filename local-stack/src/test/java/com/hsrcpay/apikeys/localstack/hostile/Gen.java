package com.hsrcpay.apikeys.localstack.hostile;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of values from a seeded random source: the few combinators the hostile properties need (pick one of
 * these values, one of these generators, map, combine), so that every generated request is reproducible from the
 * run's seed and the try's index.
 *
 * @param <T> what it generates
 */
@FunctionalInterface
interface Gen<T> {

    T next(SplittableRandom random);

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to choose from");
        }
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    /** One of the generators, each equally likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        List<Gen<? extends T>> all = List.of(generators);
        return random -> all.get(random.nextInt(all.size())).next(random);
    }

    static Gen<Integer> between(int min, int max) {
        return random -> random.nextInt(min, max + 1);
    }

    /** Strings of {@code min..max} characters drawn from {@code alphabet}. */
    static Gen<String> strings(String alphabet, int min, int max) {
        int[] codePoints = alphabet.codePoints().toArray();
        return random -> {
            int length = random.nextInt(min, max + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            return text.toString();
        };
    }

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
        return random -> f.apply(next(random)).next(random);
    }
}
