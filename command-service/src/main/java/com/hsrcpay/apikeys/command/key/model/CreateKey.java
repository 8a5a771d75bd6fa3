package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Issue a key. Carries the fingerprint of a secret generated at the edge, never the plaintext, so the
 * command may travel (Axon Server routing) without exposing it. Fields are as received: the aggregate
 * validates them ({@code ratelimits} null: none, {@code credits} null: unlimited).
 * {@code actorPermissions}: what the acting credential holds, the most it may grant a key.
 */
public record CreateKey(
        @TargetAggregateIdentifier KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        String name,
        KeyType type,
        Map<String, List<String>> permissions,
        Map<String, Object> metadata,
        Instant expiresAt,
        boolean managed,
        SecretFingerprint secret,
        Actor actor,
        Permissions actorPermissions,
        String requestId,
        List<RequestedUsage.RateLimit> ratelimits,
        RequestedUsage.Credits credits) {

    /** A key without usage control. */
    public CreateKey(KeyId keyId, AccountId accountId, Mode mode, ApplicationId applicationId, String name,
                     KeyType type, Map<String, List<String>> permissions, Map<String, Object> metadata,
                     Instant expiresAt, boolean managed, SecretFingerprint secret, Actor actor,
                     Permissions actorPermissions, String requestId) {
        this(keyId, accountId, mode, applicationId, name, type, permissions, metadata, expiresAt, managed, secret,
                actor, actorPermissions, requestId, null, null);
    }
}
