package com.hsrcpay.apikeys.edge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
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

    static final String OPERATOR_PATHS = "/admin/";
    private static final String SCHEMA_REF = "#/components/schemas/";

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

    /**
     * The merged document narrowed to what the API port answers: the operator endpoints ({@code /admin/…}) stay on
     * the services' own ports, so they and the schemas only they use are left out.
     */
    public static ObjectNode forApiPort(ObjectNode document) {
        ObjectNode narrowed = document.deepCopy();
        objectAt(narrowed, "paths").properties().removeIf(path -> path.getKey().startsWith(OPERATOR_PATHS));
        ObjectNode schemas = objectAt(objectAt(narrowed, "components"), "schemas");
        Set<String> used = new LinkedHashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.add(narrowed.path("paths"));
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMA_REF)) {
                String name = ref.asText().substring(SCHEMA_REF.length());
                if (used.add(name) && schemas.has(name)) {
                    pending.add(schemas.get(name));
                }
            }
            node.elements().forEachRemaining(pending::add);
        }
        schemas.properties().removeIf(schema -> !used.contains(schema.getKey()));
        return narrowed;
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
