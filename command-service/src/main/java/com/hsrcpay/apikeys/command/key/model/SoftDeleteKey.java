package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record SoftDeleteKey(
        @TargetAggregateIdentifier KeyId keyId,
        AccountId accountId,
        Mode mode,
        Actor actor,
        String requestId) {
}
