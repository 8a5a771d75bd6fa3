package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Set, increase or decrease a key's remaining credits ({@code POST /v1/api-keys/{id}/credits}); amount as received. */
public record AdjustCredits(
        @TargetAggregateIdentifier KeyId keyId,
        AccountId accountId,
        Mode mode,
        CreditsAdjusted.Operation operation,
        Long amount,
        Actor actor,
        String requestId) {
}
