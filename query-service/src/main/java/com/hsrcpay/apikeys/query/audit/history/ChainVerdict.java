package com.hsrcpay.apikeys.query.audit.history;

import io.swagger.v3.oas.annotations.media.Schema;

/** Whether a key's stored hash chain is intact: the number of events checked and the first that breaks it. */
@Schema(requiredProperties = {"intact", "events", "broken_at"})
public record ChainVerdict(boolean intact, long events,
                           @Schema(nullable = true,
                                   description = "the sequence number of the first event that does not chain")
                           Long brokenAt) {
}
