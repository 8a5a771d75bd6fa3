package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.shared.key.Actor;

import java.time.Instant;
import java.util.Map;

/** One event of a key's history as the API shows it: who did what when, and what it changed. Never a secret. */
public record HistoryEntry(
        long sequenceNumber,
        String type,
        Instant occurredAt,
        Actor actor,
        String requestId,
        Map<String, KeyTimeline.Change> changes) {
}
