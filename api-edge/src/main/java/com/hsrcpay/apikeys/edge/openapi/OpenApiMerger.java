package com.hsrcpay.apikeys.edge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the OpenAPI documents of the services behind one API port into one: the first document gives
 * openapi/info/servers/security; paths are merged per operation (a path both services serve, such as
 * {@code /v1/api-keys/{id}}, gets the operations of each), components per entry, tags by name.
 */
public final class OpenApiMerger {

    private OpenApiMerger() {
    }

    public static ObjectNode merge(List<? extends JsonNode> documents) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("Nothing to merge");
        }
        ObjectNode merged = documents.get(0).deepCopy();
        ObjectNode paths = objectAt(merged, "paths");
        ObjectNode components = objectAt(merged, "components");
        Set<String> tagNames = new LinkedHashSet<>();
        ArrayNode tags = merged.has("tags") && merged.get("tags").isArray()
                ? (ArrayNode) merged.get("tags") : merged.putArray("tags");
        tags.forEach(t -> tagNames.add(t.path("name").asText()));
        for (JsonNode other : documents.subList(1, documents.size())) {
            for (Map.Entry<String, JsonNode> path : other.path("paths").properties()) {
                ObjectNode into = objectAt(paths, path.getKey());
                path.getValue().properties().forEach(op -> {
                    if (!into.has(op.getKey())) {
                        into.set(op.getKey(), op.getValue().deepCopy());
                    }
                });
            }
            for (Map.Entry<String, JsonNode> section : other.path("components").properties()) {
                ObjectNode into = objectAt(components, section.getKey());
                section.getValue().properties().forEach(entry -> {
                    if (!into.has(entry.getKey())) {
                        into.set(entry.getKey(), entry.getValue().deepCopy());
                    }
                });
            }
            other.path("tags").forEach(tag -> {
                if (tagNames.add(tag.path("name").asText())) {
                    tags.add(tag.deepCopy());
                }
            });
        }
        if (tags.isEmpty()) {
            merged.remove("tags");
        }
        return merged;
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        ObjectNode created = JsonNodeFactory.instance.objectNode();
        parent.set(field, created);
        return created;
    }
}
