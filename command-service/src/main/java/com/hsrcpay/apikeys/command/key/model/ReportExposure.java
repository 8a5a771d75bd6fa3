package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A secret of this key was found in public ({@code source}, {@code url}: see KeyExposed). No owner check: whoever
 * holds the secret may report it, and the report can only ever stop it. Carries the secret's SHA-256, never the
 * secret.
 */
public record ReportExposure(
        @TargetAggregateIdentifier KeyId keyId,
        String secretSha256,
        String source,
        String url,
        Actor actor,
        String requestId) {

    @Override
    public String toString() {
        return "ReportExposure[keyId=" + keyId + ", source=" + source + "]";
    }
}
