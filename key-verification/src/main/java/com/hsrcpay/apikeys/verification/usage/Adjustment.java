package com.hsrcpay.apikeys.verification.usage;

/**
 * A change of a key's credits that comes from an event (key created with credits, a patch of credits, the credits
 * endpoint, a refill), applied once by {@link CreditBalances#apply}.
 */
public sealed interface Adjustment {

    long amount();

    /**
     * What the balance becomes, given what is {@code available} (not leased) and what the live leases hold: the new
     * available credits, and whether the leases are voided (when the change leaves less than they hold; otherwise
     * they stay, counted as part of the new balance, never overspent).
     */
    Result applyTo(long available, long leased);

    record Result(long available, boolean voidLeases) {
    }

    static Adjustment set(long amount) {
        return new Set(amount);
    }

    static Adjustment increment(long amount) {
        return new Increment(amount);
    }

    static Adjustment decrement(long amount) {
        return new Decrement(amount);
    }

    /** The credits become exactly {@code amount}. */
    record Set(long amount) implements Adjustment {
        public Set {
            requireNonNegative(amount);
        }

        @Override
        public Result applyTo(long available, long leased) {
            return amount < leased ? new Result(amount, true) : new Result(amount - leased, false);
        }
    }

    record Increment(long amount) implements Adjustment {
        public Increment {
            requireNonNegative(amount);
        }

        @Override
        public Result applyTo(long available, long leased) {
            return new Result(Math.min(available + amount, Long.MAX_VALUE / 2), false);
        }
    }

    /** Never below 0: a decrement past what remains leaves 0. */
    record Decrement(long amount) implements Adjustment {
        public Decrement {
            requireNonNegative(amount);
        }

        @Override
        public Result applyTo(long available, long leased) {
            return amount <= available ? new Result(available - amount, false)
                    : new Result(Math.max(0, available + leased - amount), true);
        }
    }

    private static void requireNonNegative(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("an adjustment's amount is never negative");
        }
    }
}
