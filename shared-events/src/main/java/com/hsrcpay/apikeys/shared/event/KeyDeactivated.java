package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The key was set INACTIVE: its secret is refused until it is activated again. */
@Revision("1")
public record KeyDeactivated(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deactivated(this);
    }
}
