package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyFold;
import com.hsrcpay.apikeys.shared.event.KeyState;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A key's events folded in sequence order ({@link KeyFold}, the one fold) into its {@code api_key} object, and per
 * event the fields of that object it changed: the difference of the object before and after, so whatever an event
 * changes shows, a new event type included. Knows nothing of usage (last_used_at/ip are not events: null here) and
 * never holds a secret, only its masked hint.
 */
public final class KeyTimeline {

    /** The fields a history entry may name, in the order it names them. */
    private static final Map<String, Function<ApiKeyObject, Object>> FIELDS = fields();

    private KeyState state;

    /** Folds {@code event} in; answers what it changed, field (snake_case) to before/after, in a stable order. */
    public Map<String, Change> apply(KeyEvent event) {
        ApiKeyObject before = exists() ? object() : null;
        state = KeyFold.evolve(state, event);
        ApiKeyObject after = object();
        Map<String, Change> changes = new LinkedHashMap<>();
        FIELDS.forEach((field, read) -> {
            Object was = before == null ? null : read.apply(before);
            Object is = read.apply(after);
            if (!Objects.equals(was, is)) {
                changes.put(field, new Change(was, is));
            }
        });
        // the report that revoked the key is no field of the object: named on its own
        if (event instanceof KeyExposed exposed) {
            Map<String, String> report = new LinkedHashMap<>();
            report.put("source", exposed.source());
            report.put("url", exposed.url());
            changes.put("exposure", new Change(null, report));
        }
        return changes;
    }

    /** True once the key's creation was folded in. */
    public boolean exists() {
        return state != null;
    }

    /** The key as of the events folded so far, in the contract's object shape. */
    public ApiKeyObject object() {
        return ApiKeyObject.of(state, state.secretHint(), null, null);
    }

    private static Map<String, Function<ApiKeyObject, Object>> fields() {
        Map<String, Function<ApiKeyObject, Object>> fields = new LinkedHashMap<>();
        fields.put("application_id", ApiKeyObject::applicationId);
        fields.put("name", ApiKeyObject::name);
        fields.put("type", ApiKeyObject::type);
        fields.put("key", ApiKeyObject::key);
        fields.put("permissions", ApiKeyObject::permissions);
        fields.put("metadata", ApiKeyObject::metadata);
        fields.put("expires_at", ApiKeyObject::expiresAt);
        fields.put("managed", ApiKeyObject::managed);
        fields.put("status", ApiKeyObject::status);
        fields.put("deleted", ApiKeyObject::deleted);
        fields.put("ratelimits", ApiKeyObject::ratelimits);
        fields.put("credits", ApiKeyObject::credits);
        return fields;
    }

    /** One changed field. */
    @Schema(name = "FieldChange", requiredProperties = {"before", "after"})
    public record Change(@Schema(nullable = true) Object before,
                         @Schema(nullable = true) Object after) {
    }
}
