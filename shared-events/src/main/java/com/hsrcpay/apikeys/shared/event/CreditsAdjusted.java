package com.hsrcpay.apikeys.shared.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The credits endpoint changed a key's remaining credits: set to, increased or decreased by {@code amount}
 * (a decrease stops at 0). The operation is recorded, not the result, because what remains also depends on
 * verifications, which are not events: the usage-control balance applies it to the live value.
 */
@Revision("1")
public record CreditsAdjusted(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        Operation operation,
        long amount,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {

    public enum Operation {
        @JsonProperty("set") SET,
        @JsonProperty("increment") INCREMENT,
        @JsonProperty("decrement") DECREMENT
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.creditsAdjusted(this);
    }
}
