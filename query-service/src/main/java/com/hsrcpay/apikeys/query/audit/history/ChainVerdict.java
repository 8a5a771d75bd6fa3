package com.hsrcpay.apikeys.query.audit.history;

/** Whether a key's stored hash chain is intact: the number of events checked and the first that breaks it. */
public record ChainVerdict(boolean intact, long events, Long brokenAt) {
}
