package com.hsrcpay.apikeys.query.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.edge.openapi.ApiDocumentation;
import com.hsrcpay.apikeys.edge.openapi.OpenApiMerger;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document of the whole API (each service's own {@code /v3/api-docs}, merged as the local stack's gateway
 * merges them) against the contract: every contract endpoint is documented, and every documented endpoint exists
 * (the service that documents it maps it, and answers it with 401 without a credential, not 404/405; one documented
 * with no security requirement answers without one).
 */
class OpenApiCompletenessIT {

    /** docs/api-contract.md; path variables written {} as their names differ between contract and code. */
    static final Set<String> CONTRACT = new TreeSet<>(Set.of(
            "POST /v1/api-keys/",
            "GET /v1/api-keys/",
            "GET /v1/api-keys/{}",
            "PATCH /v1/api-keys/{}",
            "POST /v1/api-keys/{}/regenerate",
            "DELETE /v1/api-keys/{}",
            "DELETE /api/v1/applications/{}/api-keys/{}",
            "POST /v1/keys/verify",
            "GET /v1/api-keys/{}/history",
            "GET /v1/api-keys/{}/history/verify",
            "GET /v1/whoami",
            "GET /v1/audit/events",
            "GET /v1/api-keys/{}/history/{}/proof",
            "GET /v1/transparency/checkpoint",
            "GET /v1/transparency/public-key",
            "GET /v1/transparency/consistency",
            "POST /v1/webhook-endpoints",
            "GET /v1/webhook-endpoints",
            "GET /v1/webhook-endpoints/{}",
            "PATCH /v1/webhook-endpoints/{}",
            "DELETE /v1/webhook-endpoints/{}",
            "GET /v1/webhook-endpoints/{}/deliveries",
            "POST /v1/webhook-endpoints/{}/deliveries/{}/retry",
            "POST /v1/secret-scanning/github",
            "POST /v1/keys/report-exposure"));

    static SystemUnderTest system;
    static ConfigurableApplicationContext commandService;
    static ConfigurableApplicationContext queryService;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.onFreshDatabase();
        commandService = system.startCommandService();
        // as under docker-compose, where nginx sends GET /v3/api-docs to the query service's merged document
        queryService = system.startQueryService("--kms.openapi.command-service-url=http://localhost:"
                + ((org.springframework.boot.web.context.WebServerApplicationContext) commandService)
                        .getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void everyContractEndpointIsDocumentedAndEveryDocumentedOneExists() {
        List<JsonNode> documents = new ArrayList<>();
        for (ConfigurableApplicationContext service : List.of(commandService, queryService)) {
            HttpApi.Reply docs = SystemUnderTest.api(service).get("/v3/api-docs").send();
            assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
            JsonNode document = docs.json();
            documents.add(document);
            for (String operation : operations(document)) {
                assertMapped(service, operation);
                assertAnswersWithoutCredential(service, operation, isPublic(document, operation));
            }
        }
        ObjectNode merged = OpenApiMerger.merge(documents);
        Set<String> documented = new TreeSet<>();
        operations(merged).forEach(op -> documented.add(op.replaceAll("\\{[^}]*}", "{}")));
        assertThat(documented).as("contract endpoints missing from the document").containsAll(CONTRACT);
    }

    @Test
    void theDocumentDescribesCredentialsEnvelopesAndErrors() {
        JsonNode merged = OpenApiMerger.merge(List.of(
                SystemUnderTest.api(commandService).get("/v3/api-docs").send().json(),
                SystemUnderTest.api(queryService).get("/v3/api-docs").send().json()));
        assertThat(merged.path("openapi").asText()).startsWith("3.");
        JsonNode scheme = merged.at("/components/securitySchemes/" + ApiDocumentation.SECURITY_SCHEME);
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(scheme.path("description").asText()).contains("JWT", "sk_", "pk_");
        assertThat(merged.at("/security/0").has(ApiDocumentation.SECURITY_SCHEME)).isTrue();
        assertThat(merged.at("/components/schemas").has(ApiDocumentation.ERROR_ENVELOPE)).isTrue();
        assertThat(merged.at("/components/schemas").has(ApiDocumentation.APPLICATIONS_ERROR)).isTrue();

        JsonNode create = merged.at("/paths/~1v1~1api-keys~1/post");
        assertThat(fieldNames(create.path("responses"))).contains("201", "400", "401", "403", "409", "413", "415",
                "429", "500");
        assertThat(parameterNames(create)).contains("account_id", "Idempotency-Key");
        JsonNode list = merged.at("/paths/~1v1~1api-keys~1/get");
        assertThat(parameterNames(list)).contains("account_id", "page", "limit", "managed");
        JsonNode patch = merged.at("/paths/~1v1~1api-keys~1{id}/patch");
        assertThat(fieldNames(patch.path("responses"))).contains("200", "404", "409", "412");
        assertThat(parameterNames(patch)).contains("id", "If-Match");
        JsonNode revoke = merged.at("/paths/~1api~1v1~1applications~1{applicationId}~1api-keys~1{keyId}/delete");
        assertThat(revoke.at("/responses/404/content/application~1json/schema/$ref").asText())
                .endsWith(ApiDocumentation.APPLICATIONS_ERROR);
        assertThat(merged.at("/paths/~1v1~1api-keys~1{id}/get/responses/404/content/application~1json/schema/$ref")
                .asText()).endsWith(ApiDocumentation.ERROR_ENVELOPE);
    }

    @Test
    void theQueryServiceServesTheWholeApiDocumentWhereNoGatewayMerges() {
        HttpApi.Reply whole = SystemUnderTest.api(queryService).get(WholeApiDocsController.PATH).send();
        assertThat(whole.status()).as(whole.toString()).isEqualTo(200);
        JsonNode expected = OpenApiMerger.forApiPort(OpenApiMerger.merge(List.of(
                SystemUnderTest.api(commandService).get("/v3/api-docs").send().json(),
                SystemUnderTest.api(queryService).get("/v3/api-docs").send().json())));
        assertThat(whole.json()).isEqualTo(expected);
        Set<String> documented = new TreeSet<>();
        operations(whole.json()).forEach(op -> documented.add(op.replaceAll("\\{[^}]*}", "{}")));
        assertThat(documented).containsAll(CONTRACT);
    }

    @Test
    void theApiPortsDocumentSpeaksTheWireFormatWithDomainNamesAndNoOperatorEndpoints() {
        JsonNode whole = SystemUnderTest.api(queryService).get(WholeApiDocsController.PATH).send().json();
        assertThat(whole.path("openapi").asText()).as("OpenAPI 3.0, which the common generators read").startsWith("3.0.");
        assertThat(whole.path("paths").properties()).extracting(Map.Entry::getKey)
                .noneMatch(path -> path.startsWith("/admin/"));
        Map<String, String> operationIds = new TreeMap<>();
        whole.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            operationIds.put(op.getValue().path("operationId").asText(), op.getKey() + " " + path.getKey());
            assertThat(op.getValue().path("tags").get(0).asText()).as(op.getKey() + " " + path.getKey())
                    .doesNotEndWith("-controller");
        }));
        assertThat(operationIds.keySet()).containsExactlyInAnyOrder("createKey", "listKeys", "getKey", "updateKey",
                "regenerateKey", "adjustCredits", "getKeyUsage", "deleteKey", "revokeApplicationKey", "verifyKey", "whoAmI",
                "getKeyHistory", "verifyKeyHistory", "exportAuditEvents", "getInclusionProof", "getCheckpoint",
                "getCheckpointPublicKey", "getConsistencyProof", "createWebhookEndpoint", "listWebhookEndpoints",
                "getWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint", "listWebhookDeliveries",
                "retryWebhookDelivery",
                "reportGitHubSecretScanningMatches",
                "reportKeyExposure");

        List<String> camelCase = new ArrayList<>();
        whole.path("components").path("schemas").properties().forEach(schema -> schema.getValue().path("properties")
                .fieldNames().forEachRemaining(name -> {
                    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                        camelCase.add(schema.getKey() + "." + name);
                    }
                }));
        assertThat(camelCase).as("property names as sent (snake_case)").isEmpty();
        JsonNode key = whole.path("components").path("schemas").path("ApiKey");
        assertThat(key.path("properties").path("expires_at").path("nullable").asBoolean()).isTrue();
        assertThat(key.path("properties").path("id").path("format").asText()).isEqualTo("uuid");
        assertThat(key.path("required")).hasSize(key.path("properties").size());
    }

    @Test
    void swaggerUiIsServedAndShowsTheOneDocument() {
        HttpApi.Reply ui = SystemUnderTest.api(commandService).get("/swagger-ui/index.html").send();
        assertThat(ui.status()).isEqualTo(200);
        HttpApi.Reply config = SystemUnderTest.api(commandService).get("/v3/api-docs/swagger-config").send();
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("url").asText()).isEqualTo("/v3/api-docs");
    }

    static Set<String> operations(JsonNode document) {
        Set<String> operations = new LinkedHashSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    static String concrete(String path) {
        return path.replaceAll("\\{[^}]*}", UUID.randomUUID().toString());
    }

    static void assertMapped(ConfigurableApplicationContext service, String operation) {
        String[] parts = operation.split(" ", 2);
        MockHttpServletRequest request = new MockHttpServletRequest(parts[0], concrete(parts[1]));
        if (!"GET".equals(parts[0])) {
            request.setContentType("application/json");
        }
        ServletRequestPathUtils.parseAndCache(request);
        RequestMappingHandlerMapping mappings =
                service.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        HandlerExecutionChain handler;
        try {
            handler = mappings.getHandler(request);
        } catch (Exception e) {
            throw new AssertionError("documented " + operation + " is not mapped: " + e, e);
        }
        assertThat(handler).as("documented " + operation + " is mapped").isNotNull();
        assertThat(handler.getHandler()).as(operation).isInstanceOf(HandlerMethod.class);
    }

    static void assertAnswersWithoutCredential(ConfigurableApplicationContext service, String operation,
                                               boolean open) {
        String[] parts = operation.split(" ", 2);
        HttpApi.Call call = SystemUnderTest.api(service).call(parts[0], concrete(parts[1]));
        if (!"GET".equals(parts[0])) {
            call.json(Map.of());
        }
        HttpApi.Reply reply = call.send();
        if (open && operation.equals("POST /v1/secret-scanning/github")) {
            // no credential either: GitHub's signature is one, and an unsigned report is refused for the lack of it
            assertThat(reply.status()).as(operation + " unsigned: " + reply).isEqualTo(401);
            assertThat(reply.json().at("/error/details/reason").asText()).isEqualTo("invalid_signature");
        } else if (open) {
            assertThat(reply.status()).as(operation + " (public) without a credential: " + reply)
                    .isNotIn(401, 403, 404, 405);
        } else {
            assertThat(reply.status()).as(operation + " without a credential: " + reply).isEqualTo(401);
        }
    }

    /** Documented with an empty security requirement: a public operation. */
    static boolean isPublic(JsonNode document, String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode security = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT))
                .path("security");
        return security.isArray() && security.isEmpty();
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Set<String> parameterNames(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        operation.path("parameters").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

}
