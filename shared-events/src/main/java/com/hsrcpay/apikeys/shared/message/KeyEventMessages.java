package com.hsrcpay.apikeys.shared.message;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyTerminated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.ApplicationId;

import java.util.Locale;
import java.util.function.Function;

/**
 * The one mapping from a stored key event to its published message. Exhaustive through {@link KeyEvent.Visitor}: a
 * new event type does not compile until it says what it publishes.
 */
public final class KeyEventMessages {

    private static final KeyEvent.Visitor<KeyEventData> DATA = new KeyEvent.Visitor<>() {
        @Override
        public KeyEventData created(KeyCreated e) {
            return new KeyEventData.Created(id(e.applicationId()), e.name(), e.type().name(), e.permissions().grants(),
                    e.metadata(), e.expiresAt(), e.managed(), e.secret().sha256(), e.secret().hint(), e.ratelimits(),
                    e.credits());
        }

        @Override
        public KeyEventData secretRotated(SecretRotated e) {
            return new KeyEventData.SecretRotated(id(e.applicationId()), e.newSecret().sha256(), e.newSecret().hint(),
                    e.previousSecretSha256(), e.previousSecretValidUntil(), e.stoppedSecretSha256s(),
                    e.retiredSecretSha256s());
        }

        @Override
        public KeyEventData secretRetired(SecretRetired e) {
            return new KeyEventData.SecretRetired(id(e.applicationId()), e.retiredSecretSha256(),
                    e.retiredSecretSha256s());
        }

        @Override
        public KeyEventData updated(KeyUpdated e) {
            KeyChanges c = e.changes();
            return new KeyEventData.Updated(new KeyEventData.Changes(change(c.name(), Function.identity()),
                    change(c.permissions(), p -> p == null ? null : p.grants()),
                    change(c.expiresAt(), Function.identity()), change(c.metadata(), Function.identity()),
                    change(c.ratelimits(), Function.identity()), change(c.credits(), Function.identity())));
        }

        @Override
        public KeyEventData deactivated(KeyDeactivated e) {
            return new KeyEventData.StatusChanged();
        }

        @Override
        public KeyEventData activated(KeyActivated e) {
            return new KeyEventData.StatusChanged();
        }

        @Override
        public KeyEventData revoked(KeyRevoked e) {
            return terminated(e);
        }

        @Override
        public KeyEventData deleted(KeyDeleted e) {
            return terminated(e);
        }

        @Override
        public KeyEventData expired(KeyExpired e) {
            return terminated(e);
        }

        @Override
        public KeyEventData exposed(KeyExposed e) {
            return new KeyEventData.Exposed(id(e.applicationId()), e.revokedSecretSha256s(), e.source(), e.url());
        }

        @Override
        public KeyEventData creditsAdjusted(CreditsAdjusted e) {
            return new KeyEventData.CreditsAdjusted(e.operation().name().toLowerCase(Locale.ROOT), e.amount());
        }

        @Override
        public KeyEventData creditsRefilled(CreditsRefilled e) {
            return new KeyEventData.CreditsRefilled(e.amount(), e.refilledFor());
        }
    };

    private KeyEventMessages() {
    }

    /** The message of {@code event}, the {@code sequenceNumber}-th of its key, stored with id {@code eventId}. */
    public static KeyEventMessage of(KeyEvent event, String eventId, long sequenceNumber) {
        return new KeyEventMessage(eventId, event.keyId().toString(), event.accountId().value(),
                event.mode().wireName(), sequenceNumber, type(event), event.occurredAt(), event.actor(),
                event.requestId(), event.accept(DATA));
    }

    /** The event's type name ({@code KeyCreated}…): {@code type}, header {@code event_type}, end of {@code ce_type}. */
    public static String type(KeyEvent event) {
        return event.getClass().getSimpleName();
    }

    private static KeyEventData.Terminated terminated(KeyTerminated e) {
        return new KeyEventData.Terminated(id(e.applicationId()), e.revokedSecretSha256s());
    }

    private static <T, R> KeyEventData.Change<R> change(FieldChange<T> change, Function<T, R> map) {
        return change == null ? null : new KeyEventData.Change<>(map.apply(change.before()), map.apply(change.after()));
    }

    private static String id(ApplicationId applicationId) {
        return applicationId == null ? null : applicationId.toString();
    }
}
