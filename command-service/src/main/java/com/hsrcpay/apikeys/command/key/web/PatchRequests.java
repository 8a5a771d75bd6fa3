package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.command.key.model.Replace;
import com.hsrcpay.apikeys.command.key.model.RequestedUsage;
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
 * Reads a PATCH body (and a create's usage-control fields, {@link #ratelimits}, {@link #credits}) with merge-patch
 * semantics: an absent field stays, {@code null} clears (expires_at,
 * metadata, credits), a value replaces. Only the contract's seven fields are accepted.
 */
class PatchRequests {

    private static final Set<String> FIELDS = Set.of("name", "permissions", "expires_at", "status", "metadata",
            "ratelimits", "credits");

    private final ObjectReader permissions;
    private final ObjectReader metadata;
    private final ObjectReader instant;
    private final ObjectReader ratelimits;
    private final ObjectReader credits;

    PatchRequests(ObjectMapper objectMapper) {
        this.permissions = objectMapper.readerFor(new TypeReference<Map<String, List<String>>>() { });
        this.metadata = objectMapper.readerFor(new TypeReference<Map<String, Object>>() { });
        this.instant = objectMapper.readerFor(Instant.class);
        this.ratelimits = objectMapper.readerFor(new TypeReference<List<RequestedUsage.RateLimit>>() { });
        this.credits = objectMapper.readerFor(RequestedUsage.Credits.class);
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
                caller.actor(), caller.permissions(), requestId,
                typed(body, "ratelimits", ratelimits, false),
                typed(body, "credits", credits, true));
    }

    /** A create's {@code ratelimits}: absent (Java null) is none, JSON null is refused. */
    List<RequestedUsage.RateLimit> ratelimits(JsonNode value) {
        Replace<List<RequestedUsage.RateLimit>> read = value(value, "ratelimits", ratelimits, false);
        return read == null ? null : read.value();
    }

    /** A create's {@code credits}: absent or JSON null is unlimited. */
    RequestedUsage.Credits credits(JsonNode value) {
        Replace<RequestedUsage.Credits> read = value(value, "credits", credits, true);
        return read == null ? null : read.value();
    }

    /** Where inside the field the mapping failed: {@code [0].limit}, {@code .refill.amount}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            }
        }
        return path.toString();
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
        return body.has(field) ? value(body.get(field), field, reader, nullable) : null;
    }

    /** {@code value} as the reader's type; null when absent (Java null), refused when JSON null is not allowed. */
    private static <T> Replace<T> value(JsonNode value, String field, ObjectReader reader, boolean nullable) {
        if (value == null) {
            return null;
        }
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
        } catch (UnrecognizedPropertyException e) {
            String at = field + path(e);
            throw ApiException.badRequest(at, "unknown_field", "Unknown field '" + at + "'");
        } catch (JsonMappingException e) {
            String at = field + path(e);
            throw ApiException.badRequest(at, "invalid_type", "Field '" + at + "' has the wrong type or format");
        } catch (IOException e) {
            throw ApiException.badRequest(field, "invalid_type", "Field '" + field + "' has the wrong type or format");
        }
    }
}
