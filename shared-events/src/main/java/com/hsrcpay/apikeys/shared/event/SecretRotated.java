package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The key got a new secret. The previous one stops at {@code previousSecretValidUntil}
 * ({@code occurredAt} when there is no grace period). {@code stoppedSecretSha256s} are the secrets that stop
 * with this very event (the previous one without grace; an earlier one whose grace this rotation cut short);
 * {@code retiredSecretSha256s} is every secret of the key that no longer works after it (cumulative), so the
 * latest revocation record of a key always names all of them.
 */
@Revision("1")
public record SecretRotated(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        SecretFingerprint newSecret,
        String previousSecretSha256,
        Instant previousSecretValidUntil,
        List<String> stoppedSecretSha256s,
        List<String> retiredSecretSha256s,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.secretRotated(this);
    }
}
