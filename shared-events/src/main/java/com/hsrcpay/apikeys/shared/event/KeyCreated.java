package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key issued. Revision 2 added {@code ratelimits} and {@code credits}; a revision-1 payload reads back without them
 * (no limits, unlimited), which is what a key created before usage control is.
 */
@Revision("2")
public record KeyCreated(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        String name,
        KeyType type,
        Permissions permissions,
        Map<String, Object> metadata,
        Instant expiresAt,
        boolean managed,
        SecretFingerprint secret,
        Actor actor,
        Instant occurredAt,
        String requestId,
        List<RateLimit> ratelimits,
        Credits credits) implements KeyEvent {

    public KeyCreated {
        ratelimits = ratelimits == null ? List.of() : List.copyOf(ratelimits);
    }

    /** A key without usage control: no rate limits, unlimited. */
    public KeyCreated(KeyId keyId, AccountId accountId, Mode mode, ApplicationId applicationId, String name,
                      KeyType type, Permissions permissions, Map<String, Object> metadata, Instant expiresAt,
                      boolean managed, SecretFingerprint secret, Actor actor, Instant occurredAt, String requestId) {
        this(keyId, accountId, mode, applicationId, name, type, permissions, metadata, expiresAt, managed, secret,
                actor, occurredAt, requestId, List.of(), null);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.created(this);
    }
}
