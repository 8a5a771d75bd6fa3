package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Name, permissions, expiry, metadata, rate limits or credits changed; status changes have events of their own.
 * Revision 2 added {@code ratelimits} and {@code credits} to the changes; a revision-1 payload has neither (null: not
 * changed).
 */
@Revision("2")
public record KeyUpdated(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        KeyChanges changes,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.updated(this);
    }
}
