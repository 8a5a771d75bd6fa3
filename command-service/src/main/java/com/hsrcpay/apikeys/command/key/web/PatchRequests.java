package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.command.key.model.Replace;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.json.RefusedValue;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.shared.key.KeyId;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PATCH body with merge-patch semantics: an absent field stays, {@code null} clears (expires_at,
 * metadata), a value replaces. Only the contract's five fields are accepted.
 */
class PatchRequests {

    private static final Set<String> FIELDS = Set.of("name", "permissions", "expires_at", "status", "metadata");

    private final ObjectReader permissions;
    private final ObjectReader metadata;
    private final ObjectReader instant;

    PatchRequests(ObjectMapper objectMapper) {
        this.permissions = objectMapper.readerFor(new TypeReference<Map<String, List<String>>>() { });
        this.metadata = objectMapper.readerFor(new TypeReference<Map<String, Object>>() { });
        this.instant = objectMapper.readerFor(Instant.class);
    }

    PatchKey toCommand(JsonNode body, KeyId keyId, Long expectedVersion, Caller caller, String requestId) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "not_an_object", "The body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(name, "unknown_field", "Unknown field '" + name + "'");
            }
        }
        return new PatchKey(keyId, caller.accountId(), caller.mode(), expectedVersion,
                text(body, "name", false),
                typed(body, "permissions", permissions, false),
                typed(body, "expires_at", instant, true),
                text(body, "status", false),
                typed(body, "metadata", metadata, true),
                caller.actor(), caller.permissions(), requestId);
    }

    private static Replace<String> text(JsonNode body, String field, boolean nullable) {
        if (!body.has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isNull() && nullable) {
            return Replace.with(null);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field, "invalid_type", "Field '" + field + "' must be a string");
        }
        return Replace.with(value.textValue());
    }

    private static <T> Replace<T> typed(JsonNode body, String field, ObjectReader reader, boolean nullable) {
        if (!body.has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            if (nullable) {
                return Replace.with(null);
            }
            throw ApiException.badRequest(field, "required", "Field '" + field + "' cannot be null");
        }
        try {
            return Replace.with(reader.readValue(value));
        } catch (RefusedValue e) {
            throw ApiException.badRequest(field, e.reason(), "Field '" + field + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest(field, "invalid_type", "Field '" + field + "' has the wrong type or format");
        }
    }
}
