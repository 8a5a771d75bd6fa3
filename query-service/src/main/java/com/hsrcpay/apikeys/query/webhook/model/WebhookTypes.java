package com.hsrcpay.apikeys.query.webhook.model;

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
 * Which webhook a key event is, if any: one type per change (the contract's precisions). Exhaustive over the event
 * types (a visitor), so a new event does not compile until it says what merchants hear of it.
 * {@code api_key.expiring} is no event: the outbox schedules it from the key's {@code expires_at}.
 */
public final class WebhookTypes {

    private static final KeyEvent.Visitor<Optional<WebhookEventType>> TYPES = new KeyEvent.Visitor<>() {
        @Override
        public Optional<WebhookEventType> created(KeyCreated event) {
            return Optional.of(WebhookEventType.CREATED);
        }

        @Override
        public Optional<WebhookEventType> secretRotated(SecretRotated event) {
            return Optional.of(WebhookEventType.ROTATED);
        }

        @Override
        public Optional<WebhookEventType> secretRetired(SecretRetired event) {
            // the end of a rotation grace sends nothing; a previous secret retired because it leaked is an exposure
            return event.reason() == SecretRetired.Reason.EXPOSED ? Optional.of(WebhookEventType.EXPOSED)
                    : Optional.empty();
        }

        @Override
        public Optional<WebhookEventType> updated(KeyUpdated event) {
            return Optional.of(WebhookEventType.UPDATED);
        }

        @Override
        public Optional<WebhookEventType> deactivated(KeyDeactivated event) {
            return Optional.of(WebhookEventType.UPDATED); // a status patch is an update
        }

        @Override
        public Optional<WebhookEventType> activated(KeyActivated event) {
            return Optional.of(WebhookEventType.UPDATED);
        }

        @Override
        public Optional<WebhookEventType> revoked(KeyRevoked event) {
            return Optional.of(WebhookEventType.REVOKED);
        }

        @Override
        public Optional<WebhookEventType> deleted(KeyDeleted event) {
            return Optional.of(WebhookEventType.DELETED); // only deleted, though it revokes too
        }

        @Override
        public Optional<WebhookEventType> exposed(KeyExposed event) {
            return Optional.of(WebhookEventType.EXPOSED); // only exposed, though it revokes too
        }

        @Override
        public Optional<WebhookEventType> expired(KeyExpired event) {
            return Optional.of(WebhookEventType.EXPIRED);
        }

        @Override
        public Optional<WebhookEventType> creditsAdjusted(CreditsAdjusted event) {
            return Optional.of(WebhookEventType.UPDATED); // the key's credits changed through the API
        }

        @Override
        public Optional<WebhookEventType> creditsRefilled(CreditsRefilled event) {
            return Optional.empty(); // a scheduled refill is usage bookkeeping, not a change anyone made
        }
    };

    private WebhookTypes() {
    }

    public static Optional<WebhookEventType> of(KeyEvent event) {
        return event.accept(TYPES);
    }
}
