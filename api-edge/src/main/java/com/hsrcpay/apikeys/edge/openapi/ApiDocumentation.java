package com.hsrcpay.apikeys.edge.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the OpenAPI document of both services shares: the one bearer security scheme (three credential kinds),
 * the error envelopes and the error statuses every operation can answer. Each service documents its own
 * endpoints at {@code /v3/api-docs}; the local stack's gateway merges both into the document of the whole API.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    public static final String SECURITY_SCHEME = "bearer";
    public static final String ERROR_ENVELOPE = "ErrorEnvelope";
    public static final String APPLICATIONS_ERROR = "ApplicationsError";
    /** Paths the contract writes with a trailing slash; every other path is documented without one. */
    static final Set<String> WITH_TRAILING_SLASH = Set.of("/v1/api-keys/");

    static final String CREDENTIALS = """
            `Authorization: Bearer <token>`, where the token is one of three credential kinds:

            1. **JWT** from the configured auth provider (HS256 with a shared secret in the local stack and tests).
               Claims: `sub`, `account_id`, `permissions` (array; a space-separated `scope` claim is accepted too),
               optional `mode` (`live` | `test`). Expired, not-yet-valid or badly signed: 401.
            2. **Secret key** `sk_live_…` / `sk_test_…`: acts for its own account with its own permissions map.
               Revoked, deleted, INACTIVE or expired: 401.
            3. **Publishable key** `pk_live_…` / `pk_test_…`: identifies an account to client-side code and can
               never manage keys: 403 on every endpoint of this API.

            A credential containing `_test_` is a sandbox credential: it sees and changes sandbox keys only (a live
            key is 404 to it). No or malformed header: 401. Authenticated without the permission, or acting for
            another `account_id`: 403.""";

    /** Schemas read through the API's own ObjectMapper: property names as sent (snake_case), not as in Java. */
    @Bean
    ModelResolver apiModelResolver(ObjectMapper objectMapper) {
        return new ModelResolver(objectMapper);
    }

    @Bean
    OpenApiCustomizer apiKeyServiceDocumentation() {
        return ApiDocumentation::customize;
    }

    public static void customize(OpenAPI openApi) {
        openApi.info(new Info().title("HSRCPAY API-key service").version("v1").description(
                "Issue, manage, verify and audit API keys. `/v1` answers in the envelope "
                        + "`{\"message\",\"success\",\"data\"}` (lists add `total`, `page`, `limit`, `pages`); errors "
                        + "in `" + ERROR_ENVELOPE + "`. `/api/v1/applications` answers `{}` or `" + APPLICATIONS_ERROR
                        + "`."));
        openApi.servers(List.of(new Server().url("/").description("this API port")));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.components(components);
        components.addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT | sk_… secret key | pk_… publishable key")
                .description(CREDENTIALS));
        components.addSchemas(ERROR_ENVELOPE, errorEnvelope());
        components.addSchemas(APPLICATIONS_ERROR, applicationsError());
        components.getSchemas().values().forEach(ApiDocumentation::anyValueWhereJavaSaysObject);
        if (components.getSchemas().get("Actor") instanceof Schema<?> actor) {
            // shared-events carries no OpenAPI annotations: who acted is always both
            actor.required(List.of("type", "id"));
        }
        usageControlAsAnswered(components);
        openApi.security(List.of(new SecurityRequirement().addList(SECURITY_SCHEME)));
        if (openApi.getPaths() != null) {
            openApi.paths(collapseTrailingSlashes(openApi.getPaths()));
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                addErrors(path, method, operation);
                ResponseHeaders.document(operation);
            }));
        }
    }

    /**
     * The {@code ratelimits} and {@code credits} of an answered key (shared-events' RateLimit, Credits and Refill,
     * which carry no OpenAPI annotations): every field present, {@code refill} and {@code refill_day} null when unset.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void usageControlAsAnswered(Components components) {
        Map<String, Schema> schemas = (Map) components.getSchemas();
        Schema limit = schemas.get("RateLimit");
        if (limit != null) {
            limit.required(List.of("name", "limit", "duration_ms"));
            limit.description("One rate limit of the key: at most `limit` admitted per window of `duration_ms`");
        }
        Schema refill = schemas.get("Refill");
        if (refill != null && refill.getProperties() != null) {
            refill.required(List.of("interval", "amount", "refill_day"));
            Schema interval = (Schema) refill.getProperties().get("interval");
            if (interval != null) {
                interval._enum(List.of("daily", "monthly"));
            }
            Schema day = (Schema) refill.getProperties().get("refill_day");
            if (day != null) {
                day.nullable(true);
            }
        }
        Schema credits = schemas.get("Credits");
        if (credits != null && credits.getProperties() != null && refill != null) {
            credits.required(List.of("remaining", "refill", "last_refill_at"));
            // OpenAPI 3.0 has no nullable $ref (validators ignore nullable beside allOf): the refill inline, nullable
            credits.getProperties().put("refill", new ObjectSchema().nullable(true).description("null: never refills")
                    .properties(refill.getProperties()).required(refill.getRequired()));
            schemas.remove("Refill");
        }
    }

    /**
     * A record component of type {@code Object} (a change's before and after) or a map to {@code Object} (metadata)
     * holds any JSON value; the model resolver writes "an object" for it, which a string or a number would break.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void anyValueWhereJavaSaysObject(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        Map<String, Schema> properties = (Map) schema.getProperties();
        properties.replaceAll((name, property) -> {
            if (isBareObject(property)) {
                return new Schema<>().description(property.getDescription()).nullable(property.getNullable());
            }
            if (property.getAdditionalProperties() instanceof Schema<?> values && isBareObject(values)) {
                property.additionalProperties(true);
            }
            return property;
        });
    }

    private static boolean isBareObject(Schema<?> schema) {
        return "object".equals(schema.getType()) && schema.getProperties() == null
                && schema.getAdditionalProperties() == null && schema.get$ref() == null;
    }

    /** Controllers map both {@code ""} and {@code "/"}: one documented path each, in the contract's spelling. */
    static Paths collapseTrailingSlashes(Paths paths) {
        Paths collapsed = new Paths();
        paths.forEach((path, item) -> {
            String canonical = canonical(path);
            PathItem existing = collapsed.get(canonical);
            if (existing == null) {
                collapsed.addPathItem(canonical, item);
            } else if (path.equals(canonical)) {
                // the canonical spelling wins: its operations, then any the twin adds
                existing.readOperationsMap().forEach((m, op) -> {
                    if (item.readOperationsMap().get(m) == null) {
                        item.operation(m, op);
                    }
                });
                collapsed.addPathItem(canonical, item);
            } else {
                item.readOperationsMap().forEach((m, op) -> {
                    if (existing.readOperationsMap().get(m) == null) {
                        existing.operation(m, op);
                    }
                });
            }
        });
        return collapsed;
    }

    static String canonical(String path) {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return WITH_TRAILING_SLASH.contains(bare + "/") ? bare + "/" : bare;
    }

    private static void addErrors(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.responses(responses);
        boolean applications = path.startsWith("/api/v1/applications");
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        boolean keyPath = path.contains("{");
        Map<String, String> errors = new LinkedHashMap<>();
        // every operation: a malformed request line or header (e.g. a second Authorization) is refused before it runs
        errors.put("400", hasInput || keyPath
                ? "Malformed request: invalid parameter, header or body, unknown JSON field (details name the fields)"
                : "Malformed request: an invalid or repeated header, or a request the web server cannot read");
        // an operation documented with no security requirement is public: it needs no credential, but a bad one sent
        // is still refused
        boolean open = operation.getSecurity() != null && operation.getSecurity().isEmpty();
        if (open) {
            errors.put("401", "A malformed, expired or revoked credential was sent (none is needed)");
        } else {
            errors.put("401", "No, malformed, expired or revoked credential");
            errors.put("403", "Missing permission, another account's account_id, or a publishable key");
        }
        if (keyPath) {
            errors.put("404", "No such key for this account and mode (also a path id that is not a UUID)");
        }
        boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        boolean keyWrite = write && path.startsWith("/v1/api-keys");
        if (keyWrite) {
            errors.put("409", switch (method) {
                case POST -> path.endsWith("/regenerate") ? "The key is a custom key (only managed keys rotate), or deleted"
                        : "Idempotency-Key reused with a different body, or a concurrent write";
                case PATCH -> "The key is deleted, or a concurrent write";
                default -> "A concurrent write";
            });
        }
        if (keyWrite && method == PathItem.HttpMethod.PATCH) {
            errors.put("412", "If-Match names a version that is no longer current");
        }
        if (operation.getRequestBody() != null) {
            errors.put("413", "Request body larger than the configured limit");
            errors.put("415", "Content-Type is not application/json");
        }
        if (path.startsWith("/api/v1/applications") && method == PathItem.HttpMethod.DELETE) {
            errors.put("409", "The key is revoked already (`reason: key_revoked`), or a concurrent write");
        }
        if (path.startsWith("/admin/projections") && method == PathItem.HttpMethod.POST) {
            errors.put("409", "Another query-service instance holds a segment (`reason: segments_claimed_elsewhere`)");
        }
        errors.put("406", "Accept allows no media type this operation answers with");
        // the API port's gateway forwards every write but verification and whoami in its credential's turns
        boolean inTurns = write && !path.equals("/v1/keys/verify") && !path.equals("/v1/whoami");
        String usage = "a secret key used as the credential over its own rate limits (`reason: rate_limited`) or out "
                + "of credits (`reason: usage_exceeded`)";
        errors.put("429", inTurns
                ? "Too many failed authentications from this client (`reason: too_many_failed_authentications`), "
                + usage + ", or, on the API port, a write whose credential already has its share of writes in progress "
                + "(`reason: too_many_concurrent_writes`): retry after the Retry-After delay"
                : "Too many failed authentications from this client (`reason: too_many_failed_authentications`) or "
                + usage + ": retry after the Retry-After delay");
        errors.put("500", "Unexpected error (never with a stack trace or an internal class name)");
        errors.put("503", "The database is unavailable for now (`reason: temporarily_unavailable`), or a read during a "
                + "projection replay (`reason: projection_replaying`): retry after the Retry-After delay");
        String schema = applications ? APPLICATIONS_ERROR : ERROR_ENVELOPE;
        errors.forEach((status, description) -> {
            if (!responses.containsKey(status)) {
                responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                        .addMediaType("application/json", new MediaType().schema(
                                new Schema<>().$ref("#/components/schemas/" + schema)))));
            }
        });
    }

    private static Schema<?> errorEnvelope() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("code", new IntegerSchema().description("the HTTP status"));
        error.addProperty("message", new StringSchema());
        error.addProperty("details", new ObjectSchema().description(
                "a machine-readable `reason`, the offending `field`, and what else helps (e.g. `retry_after_seconds`)")
                .additionalProperties(true));
        error.required(List.of("code", "message", "details"));
        ObjectSchema envelope = new ObjectSchema();
        envelope.description("Error envelope of /v1");
        envelope.addProperty("message", new StringSchema());
        envelope.addProperty("success", new BooleanSchema()._default(false));
        envelope.addProperty("error", error);
        envelope.required(List.of("message", "success", "error"));
        return envelope;
    }

    private static Schema<?> applicationsError() {
        ObjectSchema detail = new ObjectSchema();
        detail.addProperty("field", new StringSchema());
        detail.addProperty("message", new StringSchema());
        ObjectSchema envelope = new ObjectSchema();
        envelope.description("Error body of /api/v1/applications");
        envelope.addProperty("error", new StringSchema().example("Not Found"));
        envelope.addProperty("message", new StringSchema());
        envelope.addProperty("code", new IntegerSchema());
        envelope.addProperty("details", new ArraySchema().items(detail));
        return envelope;
    }
}
