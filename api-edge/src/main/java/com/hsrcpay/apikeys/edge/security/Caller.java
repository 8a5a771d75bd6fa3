package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;

import java.util.Map;

/**
 * The authenticated principal of a request, whatever credential it presented: for which account and
 * mode it acts, with which permissions, and how it is recorded on events.
 */
public record Caller(Credential credential, Actor actor, AccountId accountId, Mode mode, Permissions permissions) {

    public enum Credential { JWT, SECRET_KEY, PUBLISHABLE_KEY }

    /** 403 unless this caller holds {@code permission}. Publishable keys never manage keys. */
    public Caller require(KeyPermission permission) {
        if (credential == Credential.PUBLISHABLE_KEY) {
            throw new ApiException(new ApiError(403, "publishable_key",
                    "Publishable keys cannot manage API keys", Map.of("permission", permission.value())));
        }
        if (!permits(permission.value())) {
            throw new ApiException(new ApiError(403, "missing_permission",
                    "This credential lacks the permission " + permission.value(), Map.of("permission", permission.value())));
        }
        return this;
    }

    /**
     * Whether this caller may do {@code permission}: the one check of a credential's permissions. A key's map never
     * reaches the reserved {@code platform} namespace, not even through {@code *}; only a platform JWT does.
     */
    public boolean permits(String permission) {
        return switch (credential) {
            case JWT -> permissions.allows(permission);
            case SECRET_KEY -> permissions.allowsAsKey(permission);
            case PUBLISHABLE_KEY -> false;
        };
    }

    /** 403 when a request names an account other than the caller's own. */
    public Caller requireAccount(String accountId) {
        if (!this.accountId.value().equals(accountId)) {
            throw new ApiException(new ApiError(403, "account_mismatch",
                    "This credential cannot act for another account", Map.of("field", "account_id")));
        }
        return this;
    }
}
