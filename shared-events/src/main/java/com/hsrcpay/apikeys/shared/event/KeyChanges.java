package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.Permissions;

import java.time.Instant;
import java.util.Map;

/** What an update changed; a null field was left as it was. */
public record KeyChanges(
        FieldChange<String> name,
        FieldChange<Permissions> permissions,
        FieldChange<Instant> expiresAt,
        FieldChange<Map<String, Object>> metadata) {

    public boolean isEmpty() {
        return name == null && permissions == null && expiresAt == null && metadata == null;
    }
}
