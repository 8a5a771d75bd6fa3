package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.edge.error.ApiError;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one mapping from a domain rejection to an HTTP status. */
final class RejectionStatus {

    private RejectionStatus() {
    }

    static int of(Rejection rejection) {
        return switch (rejection) {
            case INVALID_INPUT, NOTHING_TO_CHANGE -> 400;
            case PERMISSION_NOT_GRANTABLE -> 403;
            case KEY_NOT_FOUND -> 404;
            case KEY_DELETED, KEY_REVOKED, KEY_EXPIRED, KEY_NOT_MANAGED, CONCURRENT_MODIFICATION, IDEMPOTENCY_KEY_REUSED,
                 CREDITS_UNLIMITED -> 409;
            case VERSION_MISMATCH -> 412;
        };
    }

    static ApiError toApiError(KeyCommandRejected rejected) {
        Map<String, Object> details = new LinkedHashMap<>(rejected.details());
        Object reason = details.remove("reason");
        String reasonText = reason != null ? reason.toString() : rejected.rejection().name().toLowerCase();
        return new ApiError(of(rejected.rejection()), reasonText, rejected.getMessage(), details);
    }
}
