package com.hsrcpay.apikeys.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.allOf;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageHasKey;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.pathContains;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.responseStatusIs;

/**
 * Every answer the integration tests get, checked against the OpenAPI document the answering port publishes at
 * {@code /v3/api-docs}, by Atlassian's swagger-request-validator: status, content type, body (strict: a property the
 * document does not name fails) and the documented headers. Beyond it, one rule of ours: a header of the API's own
 * (anything the contract names, or {@code X-…}) that the answer carries must be described for that status.
 * An answer that breaks the document fails the test that got it, with the validator's messages.
 */
public final class PublishedContract {

    static final String DOCUMENT_PATH = "/v3/api-docs";
    /** Not part of the API: operations' endpoints and the documents themselves. */
    private static final Pattern OUTSIDE_THE_API = Pattern.compile(
            "^/(actuator(/.*)?|v3/api-docs(/.*)?|v3/asyncapi\\.json|swagger-ui\\.html|swagger-ui(/.*)?)$");
    private static final Pattern API_HEADER = Pattern.compile(
            "(?i)^(x-(?!content-type-options|frame-options|xss-protection).*|etag|location|retry-after|"
                    + "idempotent-replayed|ratelimit.*)$");

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An export of a window without events is an NDJSON body of no lines: empty, and still the documented answer. */
    private static final ValidationErrorsWhitelist EMPTY_EXPORT = ValidationErrorsWhitelist.create().withRule(
            "an empty NDJSON export", allOf(messageHasKey("validation.response.body.missing"),
                    pathContains("/v1/audit/events"), responseStatusIs(200)));

    /** Parsed documents by their text: the same document fetched from another port (or again) is parsed once. */
    private static final Map<String, Contract> PARSED = new ConcurrentHashMap<>();

    private final String baseUrl;
    private volatile Contract contract;

    /**
     * The document of the port at {@code baseUrl}, fetched now if it answers (so that a client made while its service
     * runs can check answers given while that service stops); a port that does not answer yet is asked again at the
     * first check. One per client, not per port number: a port may serve another service later in the same JVM.
     */
    public PublishedContract(String baseUrl) {
        this.baseUrl = baseUrl;
        contract();
    }

    /** Fails with the validator's messages when this answer breaks the document of the port that gave it. */
    public void check(String method, String pathAndQuery, HttpApi.Reply reply) {
        List<String> problems = problems(method, pathAndQuery, reply);
        if (!problems.isEmpty()) {
            throw new AssertionError("The answer to " + method + " " + pathAndQuery + " (" + reply.status()
                    + ") breaks the published OpenAPI document of " + baseUrl + ":\n  - "
                    + String.join("\n  - ", problems) + "\nbody: " + abbreviate(reply.body()));
        }
    }

    /** What is wrong with this answer, by the document; empty when it conforms (or is outside the API). */
    public List<String> problems(String method, String pathAndQuery, HttpApi.Reply reply) {
        String path = URI.create(pathAndQuery).getRawPath();
        if (OUTSIDE_THE_API.matcher(path).matches()) {
            return List.of();
        }
        Contract contract = contract()
                .orElseThrow(() -> new AssertionError("No OpenAPI document at " + baseUrl + DOCUMENT_PATH));
        Optional<Operation> operation = contract.operation(method, path);
        if (operation.isEmpty() && reply.status() >= 400) {
            return List.of(); // a refusal of something that is no operation of this port; the hostile suites judge it
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        reply.headers().map().forEach((name, values) -> response.withHeader(name, values));
        if (reply.body() != null && !reply.body().isEmpty()) {
            response.withBody(reply.body());
        }
        ValidationReport report = contract.validator().validateResponse(path, Request.Method.valueOf(
                method.toUpperCase(Locale.ROOT)), response.build());
        List<String> problems = new ArrayList<>();
        report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                // a refused request whose path the validator reads as no operation (e.g. undecodable bytes)
                .filter(message -> reply.status() < 400 || !message.getKey().startsWith("validation.request."))
                .forEach(message -> problems.add(message.getKey() + ": " + message.getMessage()));
        operation.ifPresent(op -> {
            ApiResponse documented = op.getResponses() == null ? null
                    : op.getResponses().getOrDefault(Integer.toString(reply.status()), op.getResponses().getDefault());
            reply.headers().map().keySet().stream().filter(PublishedContract::isApiHeader)
                    .filter(name -> documented == null || documented.getHeaders() == null
                            || documented.getHeaders().keySet().stream().noneMatch(name::equalsIgnoreCase))
                    .forEach(name -> problems.add("undocumented header: " + name + " is sent with "
                            + reply.status() + " but the document does not describe it there"));
        });
        return problems;
    }

    private Optional<Contract> contract() {
        if (contract == null) {
            load(baseUrl).ifPresent(loaded -> contract = loaded);
        }
        return Optional.ofNullable(contract);
    }

    /** Whether a response header is one of the API's own, which the document must describe. */
    static boolean isApiHeader(String name) {
        return API_HEADER.matcher(name).matches();
    }

    /** A port's document, for the validator and for finding an operation by method and path. */
    private record Contract(OpenApiInteractionValidator validator, OpenAPI api) {

        Optional<Operation> operation(String method, String path) {
            if (api.getPaths() == null) {
                return Optional.empty();
            }
            return api.getPaths().entrySet().stream()
                    .filter(entry -> matches(entry.getKey(), path))
                    .map(entry -> entry.getValue().readOperationsMap()
                            .get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT))))
                    .filter(Objects::nonNull)
                    .findFirst();
        }

        /** {@code /v1/api-keys/{id}} matches {@code /v1/api-keys/3f…}: a parameter is one path segment. */
        private static boolean matches(String template, String path) {
            StringBuilder regex = new StringBuilder();
            for (String part : template.split("\\{[^}/]+}", -1)) {
                if (!regex.isEmpty()) {
                    regex.append("[^/]+");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.matches(regex.toString(), path);
        }
    }

    private static Optional<Contract> load(String baseUrl) {
        try {
            HttpResponse<String> document = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + DOCUMENT_PATH))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                return Optional.empty();
            }
            // parsing is the expensive part, and a JVM's services publish a handful of distinct documents
            return Optional.of(PARSED.computeIfAbsent(document.body(), text -> new Contract(
                    OpenApiInteractionValidator.createForInlineApiSpecification(text).withWhitelist(EMPTY_EXPORT).build(),
                    new OpenAPIV3Parser().readContents(text).getOpenAPI())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 2000 ? String.valueOf(body) : body.substring(0, 2000) + "…";
    }
}
