package com.hsrcpay.apikeys.testsupport;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response check every integration test relies on: it passes what the document says and fails the rest. */
class PublishedContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
             "paths": {"/v1/things/{id}": {"get": {"operationId": "getThing",
               "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
               "responses": {
               "200": {"description": "ok", "headers": {"ETag": {"required": true, "schema": {"type": "string"}}},
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
               "404": {"description": "no", "content": {"application/json": {"schema": {"type": "object",
                       "properties": {"message": {"type": "string"}}, "required": ["message"]}}}}}}}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["thing_id", "created_at"],
               "properties": {"thing_id": {"type": "string", "format": "uuid"},
                              "created_at": {"type": "string", "format": "date-time"},
                              "note": {"type": "string", "nullable": true}}}}}}""";
    private static final String ID = "/v1/things/6f1c2a9e-0000-4000-8000-000000000001";

    private static HttpServer server;
    private static String baseUrl;

    @BeforeAll
    static void serveTheDocument() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PublishedContract.DOCUMENT_PATH, exchange -> {
            byte[] body = DOCUMENT.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aConformingAnswerPasses() {
        assertThat(problems(200, Map.of("ETag", "\"1\""),
                "{\"thing_id\":\"6f1c2a9e-0000-4000-8000-000000000001\",\"created_at\":\"2026-01-01T00:00:00Z\","
                        + "\"note\":null}")).isEmpty();
    }

    @Test
    void aPropertyTheDocumentDoesNotNameFails() {
        assertThat(problems(200, Map.of("ETag", "\"1\""),
                "{\"thing_id\":\"6f1c2a9e-0000-4000-8000-000000000001\",\"created_at\":\"2026-01-01T00:00:00Z\","
                        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}")).isNotEmpty();
    }

    @Test
    void aMissingRequiredPropertyAWrongFormatAndAnUnexpectedNullFail() {
        assertThat(problems(200, Map.of("ETag", "\"1\""), "{\"thing_id\":\"6f1c2a9e-0000-4000-8000-000000000001\"}"))
                .isNotEmpty();
        assertThat(problems(200, Map.of("ETag", "\"1\""),
                "{\"thing_id\":\"not-a-uuid\",\"created_at\":\"2026-01-01T00:00:00Z\"}")).isNotEmpty();
        assertThat(problems(200, Map.of("ETag", "\"1\""),
                "{\"thing_id\":null,\"created_at\":\"2026-01-01T00:00:00Z\"}")).isNotEmpty();
    }

    @Test
    void anUndocumentedStatusFails() {
        assertThat(problems(409, Map.of(), "{\"message\":\"conflict\"}")).isNotEmpty();
    }

    @Test
    void aRequiredHeaderMissingFailsAndAnUndocumentedApiHeaderFails() {
        String body = "{\"thing_id\":\"6f1c2a9e-0000-4000-8000-000000000001\",\"created_at\":\"2026-01-01T00:00:00Z\"}";
        assertThat(problems(200, Map.of(), body)).isNotEmpty();
        assertThat(problems(200, Map.of("ETag", "\"1\"", "X-Consistency-Token", "x:1"), body))
                .anySatisfy(problem -> assertThat(problem).contains("X-Consistency-Token"));
    }

    @Test
    void theCheckThrowsWithTheValidatorsMessages() {
        HttpApi.Reply reply = reply(404, Map.of(), "{\"msg\":\"no\"}");
        assertThatThrownBy(() -> new PublishedContract(baseUrl).check("GET", ID, reply))
                .isInstanceOf(AssertionError.class).hasMessageContaining("breaks the published OpenAPI document");
    }

    @Test
    void onlyTheApisOwnHeadersNeedDescribing() {
        assertThat(PublishedContract.isApiHeader("X-Request-Id")).isTrue();
        assertThat(PublishedContract.isApiHeader("Retry-After")).isTrue();
        assertThat(PublishedContract.isApiHeader("x-content-type-options")).isFalse();
        assertThat(PublishedContract.isApiHeader("Cache-Control")).isFalse();
    }

    private static List<String> problems(int status, Map<String, String> headers, String body) {
        return new PublishedContract(baseUrl).problems("GET", ID, reply(status, headers, body));
    }

    private static HttpApi.Reply reply(int status, Map<String, String> headers, String body) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("Content-Type", List.of("application/json"));
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new HttpApi.Reply(status, HttpHeaders.of(all, (a, b) -> true), body);
    }
}
