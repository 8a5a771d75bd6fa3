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
 * The rotation grace of a previous secret ended: {@code retiredSecretSha256} stops working now, the key lives on
 * with its current secret. Emitted by the system (a durable deadline at the {@code previousSecretValidUntil} of the
 * {@link SecretRotated} that started the grace), never for a secret a later rotation, a deletion, a revocation or an
 * expiry already stopped. {@code retiredSecretSha256s} is every secret of the key that no longer works after it
 * (cumulative, as in {@link SecretRotated}), so the latest revocation record of a key always names all of them.
 * {@code reason} says why it stopped early or on time: {@link Reason#GRACE_ENDED}, or {@link Reason#EXPOSED} when the
 * previous secret was reported in public during its grace (the key keeps its current secret). Revision 1 had no
 * reason: it reads back as {@code GRACE_ENDED}, the only one there was.
 */
@Revision("2")
public record SecretRetired(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        String retiredSecretSha256,
        List<String> retiredSecretSha256s,
        Actor actor,
        Instant occurredAt,
        String requestId,
        Reason reason) implements KeyEvent {

    public enum Reason { GRACE_ENDED, EXPOSED }

    public SecretRetired {
        reason = reason == null ? Reason.GRACE_ENDED : reason;
    }

    /** The end of a rotation grace. */
    public SecretRetired(KeyId keyId, AccountId accountId, Mode mode, ApplicationId applicationId,
                         String retiredSecretSha256, List<String> retiredSecretSha256s, Actor actor,
                         Instant occurredAt, String requestId) {
        this(keyId, accountId, mode, applicationId, retiredSecretSha256, retiredSecretSha256s, actor, occurredAt,
                requestId, Reason.GRACE_ENDED);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.secretRetired(this);
    }
}
