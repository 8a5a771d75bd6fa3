package com.hsrcpay.apikeys.edge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiMergerTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void mergesPathsPerOperationAndComponentsPerEntry() throws Exception {
        JsonNode command = json.readTree("""
                {"openapi":"3.0.1","info":{"title":"t"},"paths":{"/v1/api-keys/":{"post":{"operationId":"create"}},
                 "/v1/api-keys/{id}":{"patch":{}}},"components":{"schemas":{"A":{"type":"object"}},
                 "securitySchemes":{"bearer":{"type":"http"}}},"tags":[{"name":"writes"}]}""");
        JsonNode query = json.readTree("""
                {"openapi":"3.0.1","info":{"title":"other"},"paths":{"/v1/api-keys/":{"get":{}},
                 "/v1/api-keys/{id}":{"get":{}},"/v1/whoami":{"get":{}}},
                 "components":{"schemas":{"A":{"type":"string"},"B":{}}},"tags":[{"name":"reads"},{"name":"writes"}]}""");

        JsonNode merged = OpenApiMerger.merge(List.of(command, query));

        assertThat(merged.at("/info/title").asText()).isEqualTo("t");
        assertThat(merged.at("/paths/~1v1~1api-keys~1").fieldNames()).toIterable().containsExactly("post", "get");
        assertThat(merged.at("/paths/~1v1~1api-keys~1{id}").fieldNames()).toIterable().containsExactly("patch", "get");
        assertThat(merged.at("/paths").has("/v1/whoami")).isTrue();
        assertThat(merged.at("/components/schemas/A/type").asText()).isEqualTo("object");
        assertThat(merged.at("/components/schemas").has("B")).isTrue();
        assertThat(merged.at("/components/securitySchemes").has("bearer")).isTrue();
        assertThat(merged.path("tags")).hasSize(2);
    }

    @Test
    void theApiPortsDocumentLeavesOutOperatorPathsAndTheSchemasOnlyTheyUse() throws Exception {
        ObjectNode document = (ObjectNode) json.readTree("""
                {"openapi":"3.0.1","paths":{
                  "/v1/whoami":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Identity"}}}}}}},
                  "/admin/projections/{name}/replay":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Progress"}}}}}}}},
                 "components":{"schemas":{"Identity":{"properties":{"actor":{"$ref":"#/components/schemas/Actor"}}},
                   "Actor":{"type":"object"},"Progress":{"type":"object"}}}}""");

        ObjectNode narrowed = OpenApiMerger.forApiPort(document);

        assertThat(narrowed.path("paths").fieldNames()).toIterable().containsExactly("/v1/whoami");
        assertThat(narrowed.at("/components/schemas").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("Identity", "Actor");
        assertThat(document.path("paths").has("/admin/projections/{name}/replay")).as("the input is left as it was")
                .isTrue();
    }

    @Test
    void aJavaObjectIsAnyJsonValueNotAnObject() {
        Schema<?> change = new ObjectSchema().addProperty("before", new ObjectSchema().nullable(true))
                .addProperty("metadata", new MapSchema().additionalProperties(new ObjectSchema()))
                .addProperty("actor", new Schema<>().$ref("#/components/schemas/Actor"));

        ApiDocumentation.anyValueWhereJavaSaysObject(change);

        assertThat(change.getProperties().get("before").getType()).isNull();
        assertThat(change.getProperties().get("before").getNullable()).isTrue();
        assertThat(change.getProperties().get("metadata").getAdditionalProperties()).isEqualTo(true);
        assertThat(change.getProperties().get("actor").get$ref()).isEqualTo("#/components/schemas/Actor");
    }

    @Test
    void theCustomizerCollapsesTrailingSlashTwinsAndAddsErrorsAndTheSecurityScheme() {
        OpenAPI api = new OpenAPI().paths(new Paths()
                .addPathItem("/v1/api-keys", new PathItem().post(new Operation().requestBody(new RequestBody())))
                .addPathItem("/v1/api-keys/", new PathItem().post(new Operation().requestBody(new RequestBody())))
                .addPathItem("/v1/api-keys/{id}/history", new PathItem().get(new Operation()))
                .addPathItem("/v1/api-keys/{id}/history/", new PathItem().get(new Operation()))
                .addPathItem("/v1/api-keys/{id}", new PathItem().patch(new Operation().requestBody(new RequestBody()))));

        ApiDocumentation.customize(api);

        assertThat(api.getPaths().keySet())
                .containsExactlyInAnyOrder("/v1/api-keys/", "/v1/api-keys/{id}/history", "/v1/api-keys/{id}");
        assertThat(api.getPaths().get("/v1/api-keys/{id}").getPatch().getResponses().keySet())
                .contains("400", "401", "403", "404", "409", "412", "413", "415", "429", "500");
        assertThat(api.getComponents().getSecuritySchemes().get(ApiDocumentation.SECURITY_SCHEME).getDescription())
                .contains("JWT", "sk_", "pk_");
    }
}
