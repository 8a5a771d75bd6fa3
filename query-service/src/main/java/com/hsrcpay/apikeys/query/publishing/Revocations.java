package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyTerminated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;

import java.util.List;
import java.util.Optional;

/** Which events stop a secret, and the revocation record each becomes: the one rule both the list and the topic use. */
public final class Revocations {

    private Revocations() {
    }

    public static Optional<KeyRevocation> of(KeyEvent event, String eventId) {
        if (event instanceof KeyTerminated terminated) {
            List<String> hashes = terminated.revokedSecretSha256s();
            return Optional.of(new KeyRevocation(eventId, event.keyId().toString(), event.accountId().value(),
                    terminated.applicationId() == null ? null : terminated.applicationId().toString(),
                    event.mode().wireName(), hashes.get(hashes.size() - 1), hashes, reason(terminated), true,
                    event.occurredAt()));
        }
        if (event instanceof SecretRotated rotated && !rotated.stoppedSecretSha256s().isEmpty()) {
            List<String> stopped = rotated.stoppedSecretSha256s();
            return Optional.of(new KeyRevocation(eventId, event.keyId().toString(), event.accountId().value(),
                    rotated.applicationId() == null ? null : rotated.applicationId().toString(), event.mode().wireName(), stopped.get(stopped.size() - 1), rotated.retiredSecretSha256s(),
                    KeyRevocation.Reason.ROTATED, false, event.occurredAt()));
        }
        if (event instanceof SecretRetired retired) {
            // the end of a rotation grace: the previous secret stops, the key lives on
            return Optional.of(new KeyRevocation(eventId, event.keyId().toString(), event.accountId().value(),
                    retired.applicationId() == null ? null : retired.applicationId().toString(), event.mode().wireName(),
                    retired.retiredSecretSha256(), retired.retiredSecretSha256s(), KeyRevocation.Reason.ROTATED, false,
                    event.occurredAt()));
        }
        return Optional.empty();
    }

    private static KeyRevocation.Reason reason(KeyTerminated event) {
        if (event instanceof KeyRevoked) {
            return KeyRevocation.Reason.REVOKED;
        }
        if (event instanceof KeyDeleted) {
            return KeyRevocation.Reason.DELETED;
        }
        if (event instanceof KeyExpired) {
            return KeyRevocation.Reason.EXPIRED;
        }
        throw new IllegalArgumentException("Unknown terminal event " + event.getClass().getSimpleName());
    }
}
