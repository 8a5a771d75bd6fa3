package com.hsrcpay.apikeys.verification.usage;

import java.time.Instant;
import java.util.Map;

/** A key's verifications in one hour: how many were valid, and how many were refused, by code. */
public record UsageBucket(Instant hour, long valid, Map<String, Long> refused) {

    public UsageBucket {
        refused = Map.copyOf(refused);
    }
}
