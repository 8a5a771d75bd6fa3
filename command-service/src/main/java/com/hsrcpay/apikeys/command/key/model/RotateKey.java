package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Regenerate the secret of a managed key; the old one keeps working for {@code gracePeriodSeconds} (0: stops at once).
 * {@code actorPermissions}: what the acting credential holds; it must hold what the key holds to receive its new secret.
 */
public record RotateKey(
        @TargetAggregateIdentifier KeyId keyId,
        AccountId accountId,
        Mode mode,
        SecretFingerprint newSecret,
        long gracePeriodSeconds,
        Actor actor,
        Permissions actorPermissions,
        String requestId) {
}
