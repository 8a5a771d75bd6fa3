package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What an update changed; a null field was left as it was. */
public record KeyChanges(
        FieldChange<String> name,
        FieldChange<Permissions> permissions,
        FieldChange<Instant> expiresAt,
        FieldChange<Map<String, Object>> metadata,
        FieldChange<List<RateLimit>> ratelimits,
        FieldChange<Credits> credits) {

    /** Changes of the fields a key had before usage control. */
    public KeyChanges(FieldChange<String> name, FieldChange<Permissions> permissions, FieldChange<Instant> expiresAt,
                      FieldChange<Map<String, Object>> metadata) {
        this(name, permissions, expiresAt, metadata, null, null);
    }

    public boolean isEmpty() {
        return name == null && permissions == null && expiresAt == null && metadata == null && ratelimits == null
                && credits == null;
    }
}
