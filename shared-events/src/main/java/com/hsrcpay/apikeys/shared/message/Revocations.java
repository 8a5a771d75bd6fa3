package com.hsrcpay.apikeys.shared.message;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyTerminated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.ApplicationId;

import java.util.List;
import java.util.Optional;

/**
 * Which events stop a secret, and the revocation record each becomes: the one rule both the list and the topic use.
 * Exhaustive over the event types: a new type does not compile until it says whether it revokes anything.
 */
public final class Revocations {

    private Revocations() {
    }

    public static Optional<KeyRevocation> of(KeyEvent event, String eventId) {
        return Optional.ofNullable(event.accept(new KeyEvent.Visitor<KeyRevocation>() {
            @Override
            public KeyRevocation created(KeyCreated e) {
                return null;
            }

            @Override
            public KeyRevocation secretRotated(SecretRotated e) {
                List<String> stopped = e.stoppedSecretSha256s();
                // with a grace period nothing stops yet: the end of the grace is a SecretRetired
                return stopped.isEmpty() ? null : record(eventId, e, e.applicationId(), stopped.get(stopped.size() - 1),
                        e.retiredSecretSha256s(), KeyRevocation.Reason.ROTATED, false);
            }

            @Override
            public KeyRevocation secretRetired(SecretRetired e) {
                // the end of a rotation grace, or the previous secret exposed during it: it stops, the key lives on
                return record(eventId, e, e.applicationId(), e.retiredSecretSha256(), e.retiredSecretSha256s(),
                        switch (e.reason()) {
                            case GRACE_ENDED -> KeyRevocation.Reason.ROTATED;
                            case EXPOSED -> KeyRevocation.Reason.EXPOSED;
                        }, false);
            }

            @Override
            public KeyRevocation updated(KeyUpdated e) {
                return null;
            }

            @Override
            public KeyRevocation deactivated(KeyDeactivated e) {
                return null; // INACTIVE is refused by verification, and can be undone: not a revocation
            }

            @Override
            public KeyRevocation activated(KeyActivated e) {
                return null;
            }

            @Override
            public KeyRevocation revoked(KeyRevoked e) {
                return terminal(eventId, e, KeyRevocation.Reason.REVOKED);
            }

            @Override
            public KeyRevocation deleted(KeyDeleted e) {
                return terminal(eventId, e, KeyRevocation.Reason.DELETED);
            }

            @Override
            public KeyRevocation expired(KeyExpired e) {
                return terminal(eventId, e, KeyRevocation.Reason.EXPIRED);
            }

            @Override
            public KeyRevocation exposed(KeyExposed e) {
                return terminal(eventId, e, KeyRevocation.Reason.EXPOSED);
            }

            @Override
            public KeyRevocation creditsAdjusted(CreditsAdjusted e) {
                return null; // credits run out per verification, not as a revocation; the secret still exists
            }

            @Override
            public KeyRevocation creditsRefilled(CreditsRefilled e) {
                return null;
            }
        }));
    }

    private static KeyRevocation terminal(String eventId, KeyTerminated event, KeyRevocation.Reason reason) {
        List<String> hashes = event.revokedSecretSha256s();
        return record(eventId, event, event.applicationId(), hashes.get(hashes.size() - 1), hashes, reason, true);
    }

    private static KeyRevocation record(String eventId, KeyEvent event, ApplicationId applicationId, String secret,
                                        List<String> dead, KeyRevocation.Reason reason, boolean keyRevoked) {
        return new KeyRevocation(eventId, event.keyId().toString(), event.accountId().value(),
                applicationId == null ? null : applicationId.toString(), event.mode().wireName(), secret, dead, reason,
                keyRevoked, event.occurredAt());
    }
}
