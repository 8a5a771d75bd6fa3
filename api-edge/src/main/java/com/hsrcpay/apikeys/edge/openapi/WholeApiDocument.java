package com.hsrcpay.apikeys.edge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAPI document of the whole API: each service's own {@code /v3/api-docs}, fetched and merged
 * ({@link OpenApiMerger}). Served on the API port by whatever fronts the services: the local stack's gateway
 * itself, and under docker-compose the query service (nginx cannot merge documents). One instance per server,
 * so its HTTP client (connection pool, selector thread) is made once.
 */
public final class WholeApiDocument {

    public static final String SERVICE_DOCS_PATH = "/v3/api-docs";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;

    /** With a client of its own. */
    public WholeApiDocument() {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
    }

    /** With the caller's client (a proxy that has one already). */
    public WholeApiDocument(HttpClient client) {
        this.client = client;
    }

    /**
     * Fetches and merges the documents of these services (base URIs); the first gives info and servers.
     *
     * @throws IOException naming the service that did not answer with its document
     */
    public byte[] fetch(List<URI> serviceBaseUris) throws IOException, InterruptedException {
        List<JsonNode> documents = new ArrayList<>();
        for (URI service : serviceBaseUris) {
            URI target = service.resolve(SERVICE_DOCS_PATH);
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IOException("API docs of " + target.getAuthority() + " answered " + answer.statusCode());
            }
            documents.add(JSON.readTree(answer.body()));
        }
        return JSON.writeValueAsBytes(OpenApiMerger.forApiPort(OpenApiMerger.merge(documents)));
    }
}
