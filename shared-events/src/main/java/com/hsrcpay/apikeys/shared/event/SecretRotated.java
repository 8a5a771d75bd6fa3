package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The key got a new secret. The previous one stops at {@code previousSecretValidUntil}
 * ({@code occurredAt} when there is no grace period).
 */
@Revision("1")
public record SecretRotated(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        SecretFingerprint newSecret,
        String previousSecretSha256,
        Instant previousSecretValidUntil,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {
}
