package com.hsrcpay.apikeys.shared.command;

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
