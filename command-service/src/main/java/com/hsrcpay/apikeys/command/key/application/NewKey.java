package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.RequestedUsage;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a create request asks for, as received (the aggregate validates it). */
public record NewKey(
        String name,
        KeyType type,
        Map<String, List<String>> permissions,
        Map<String, Object> metadata,
        Instant expiresAt,
        boolean managed,
        ApplicationId applicationId,
        List<RequestedUsage.RateLimit> ratelimits,
        RequestedUsage.Credits credits) {

    /** A key without usage control. */
    public NewKey(String name, KeyType type, Map<String, List<String>> permissions, Map<String, Object> metadata,
                  Instant expiresAt, boolean managed, ApplicationId applicationId) {
        this(name, type, permissions, metadata, expiresAt, managed, applicationId, null, null);
    }
}
