package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;

import java.time.Instant;

/** Every event of a key's lifecycle says whose key it is, who acted, when, and under which request. */
public sealed interface KeyEvent
        permits KeyCreated, SecretRotated, SecretRetired, KeyUpdated, KeyDeactivated, KeyActivated, KeyTerminated,
        CreditsAdjusted, CreditsRefilled {

    KeyId keyId();

    AccountId accountId();

    Mode mode();

    Actor actor();

    Instant occurredAt();

    String requestId();

    /** Dispatches to the visitor's method for this event's type: the compiler checks every reader handles every type. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per event type. A new event type adds a method here, and every reader of the stream (the fold, the
     * aggregate's sourcing, the revocation mapping) fails to compile until it says what the event means to it.
     */
    interface Visitor<R> {
        R created(KeyCreated event);

        R secretRotated(SecretRotated event);

        R secretRetired(SecretRetired event);

        R updated(KeyUpdated event);

        R deactivated(KeyDeactivated event);

        R activated(KeyActivated event);

        R revoked(KeyRevoked event);

        R deleted(KeyDeleted event);

        R expired(KeyExpired event);

        R exposed(KeyExposed event);

        R creditsAdjusted(CreditsAdjusted event);

        R creditsRefilled(CreditsRefilled event);
    }
}
