package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A refill of the key's credits came due ({@code credits.refill}): the remaining credits became {@code amount}.
 * Recorded by the system (a deadline), at the refill instant {@code refilledFor}; {@code occurredAt} is when it was
 * applied (later when the service was down at the instant).
 */
@Revision("1")
public record CreditsRefilled(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        long amount,
        Instant refilledFor,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.creditsRefilled(this);
    }
}
