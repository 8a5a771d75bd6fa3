package com.hsrcpay.apikeys.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for tests against a running service: real requests, JSON answers, each answer checked against
 * the OpenAPI document of the port that gave it ({@link PublishedContract}).
 */
public final class HttpApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final PublishedContract contract;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpApi(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.contract = new PublishedContract(this.baseUrl);
    }

    public static HttpApi onPort(int port) {
        return new HttpApi("http://localhost:" + port);
    }

    public Call call(String method, String path) {
        return new Call(method, path);
    }

    public Call get(String path) {
        return call("GET", path);
    }

    public Call post(String path) {
        return call("POST", path);
    }

    public Call patch(String path) {
        return call("PATCH", path);
    }

    public Call delete(String path) {
        return call("DELETE", path);
    }

    /** A request under construction. */
    public final class Call {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A JSON body: a String is sent as is, anything else is serialised. */
        public Call json(Object value) {
            headers.putIfAbsent("Content-Type", "application/json");
            try {
                body = value instanceof String text ? text : JSON.writeValueAsString(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Call rawBody(String contentType, String value) {
            headers.put("Content-Type", contentType);
            body = value;
            return this;
        }

        public Reply send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                Reply reply = new Reply(response.statusCode(), response.headers(), response.body());
                contract.check(method, path, reply);
                return reply;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response: status, headers and the body, parsed as JSON when it is JSON. */
    public record Reply(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
