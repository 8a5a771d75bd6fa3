package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revoke one key of an application (the applications API): refused as not found unless the key is that application's. */
public record RevokeKey(
        @TargetAggregateIdentifier KeyId keyId,
        ApplicationId applicationId,
        AccountId accountId,
        Mode mode,
        Actor actor,
        String requestId) {
}
