package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

@Revision("1")
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
        String requestId) implements KeyEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.created(this);
    }
}
