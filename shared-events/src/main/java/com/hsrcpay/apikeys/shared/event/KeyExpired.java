package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The key's expires_at passed: its secrets stop.
 * Names every secret hash of the key that no longer works (cumulative: earlier rotated-out secrets too),
 * the key's current secret last.
 */
@Revision("1")
public record KeyExpired(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        List<String> revokedSecretSha256s,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyTerminated {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.expired(this);
    }
}
