package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The events of one processor batch, applied together at prepare-commit: the touched keys are loaded once, moved
 * forward in memory in event order, and written once, in the batch's transaction (with the processor's token).
 * Statements per batch stay constant, so a replay is bounded by PostgreSQL's set-based write rate rather than by
 * a round trip per event.
 */
final class KeyListBatch {

    private record Pending(KeyEvent event, long sequence) {
    }

    private final List<Pending> events = new ArrayList<>();

    void add(KeyEvent event, long sequence) {
        events.add(new Pending(event, sequence));
    }

    void flush(KeyListTables tables) {
        if (events.isEmpty()) {
            return;
        }
        Set<UUID> keyIds = new LinkedHashSet<>();
        events.forEach(pending -> keyIds.add(pending.event().keyId().value()));
        Map<UUID, ProjectedKey> keys = tables.load(keyIds);
        for (Pending pending : events) {
            keys.get(pending.event().keyId().value()).apply(pending.event(), pending.sequence());
        }
        List<KeyState> rows = new ArrayList<>();
        Set<String> removed = new HashSet<>();
        Map<String, Instant> upserted = new HashMap<>();
        Map<String, UUID> owners = new HashMap<>();
        for (ProjectedKey key : keys.values()) {
            KeyState row = key.changedState();
            if (row != null) {
                rows.add(row);
            }
            removed.addAll(key.removedSecrets());
            key.upsertedSecrets().forEach((sha, validUntil) -> {
                upserted.put(sha, validUntil);
                owners.put(sha, key.keyId);
            });
        }
        tables.deleteSecrets(removed);
        tables.writeRows(rows);
        tables.upsertSecrets(owners, upserted);
        events.clear();
    }
}
