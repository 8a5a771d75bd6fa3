package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;

import java.util.Optional;

/**
 * The one mapping from a key's events to changes of its live credit balance ({@link CreditBalances#apply}),
 * exhaustive through {@link KeyEvent.Visitor}: a key created with credits or patched to new credits sets them, the
 * credits endpoint sets, increments or decrements, a refill sets the refill's amount. A key made unlimited changes no
 * balance (its verifications stop asking for credits).
 */
public final class CreditEvents {

    private static final KeyEvent.Visitor<Optional<Adjustment>> ADJUSTMENT = new KeyEvent.Visitor<>() {
        @Override
        public Optional<Adjustment> created(KeyCreated e) {
            return e.credits() == null ? Optional.empty() : Optional.of(Adjustment.set(e.credits().remaining()));
        }

        @Override
        public Optional<Adjustment> updated(KeyUpdated e) {
            var credits = e.changes().credits();
            return credits == null || credits.after() == null ? Optional.empty()
                    : Optional.of(Adjustment.set(credits.after().remaining()));
        }

        @Override
        public Optional<Adjustment> creditsAdjusted(CreditsAdjusted e) {
            return Optional.of(switch (e.operation()) {
                case SET -> Adjustment.set(e.amount());
                case INCREMENT -> Adjustment.increment(e.amount());
                case DECREMENT -> Adjustment.decrement(e.amount());
            });
        }

        @Override
        public Optional<Adjustment> creditsRefilled(CreditsRefilled e) {
            return Optional.of(Adjustment.set(e.amount()));
        }

        @Override
        public Optional<Adjustment> secretRotated(SecretRotated e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> secretRetired(SecretRetired e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> deactivated(KeyDeactivated e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> activated(KeyActivated e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> revoked(KeyRevoked e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> deleted(KeyDeleted e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> expired(KeyExpired e) {
            return Optional.empty();
        }

        @Override
        public Optional<Adjustment> exposed(KeyExposed e) {
            return Optional.empty();
        }
    };

    private CreditEvents() {
    }

    /** What {@code event} does to its key's live credit balance, if anything. */
    public static Optional<Adjustment> adjustmentOf(KeyEvent event) {
        return event.accept(ADJUSTMENT);
    }
}
