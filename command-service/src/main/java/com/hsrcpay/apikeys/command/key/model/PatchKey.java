package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Change some of name, permissions, expiry, status, metadata, rate limits, credits (null: unlimited). {@code expectedVersion} (from If-Match)
 * makes the change conditional; null applies it to whatever version is current.
 * {@code actorPermissions}: what the acting credential holds, the most it may grant a key.
 */
public record PatchKey(
        @TargetAggregateIdentifier KeyId keyId,
        AccountId accountId,
        Mode mode,
        Long expectedVersion,
        Replace<String> name,
        Replace<Map<String, List<String>>> permissions,
        Replace<Instant> expiresAt,
        Replace<String> status,
        Replace<Map<String, Object>> metadata,
        Actor actor,
        Permissions actorPermissions,
        String requestId,
        Replace<List<RequestedUsage.RateLimit>> ratelimits,
        Replace<RequestedUsage.Credits> credits) {

    /** A patch of the fields a key had before usage control. */
    public PatchKey(KeyId keyId, AccountId accountId, Mode mode, Long expectedVersion, Replace<String> name,
                    Replace<Map<String, List<String>>> permissions, Replace<Instant> expiresAt, Replace<String> status,
                    Replace<Map<String, Object>> metadata, Actor actor, Permissions actorPermissions,
                    String requestId) {
        this(keyId, accountId, mode, expectedVersion, name, permissions, expiresAt, status, metadata, actor,
                actorPermissions, requestId, null, null);
    }

    public boolean changesNothing() {
        return name == null && permissions == null && expiresAt == null && status == null && metadata == null
                && ratelimits == null && credits == null;
    }
}
