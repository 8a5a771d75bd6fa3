package com.hsrcpay.apikeys.edge.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response headers of the API as the document describes them: the request id on every answer, Retry-After on
 * every 429 and 503, the RateLimit fields of a secret key with rate limits as the credential on every answer it was
 * admitted to (and on its 429), and what the key operations add to their success (version, consistency token, replay
 * marker).
 * Names are the wire names the controllers send; the strict response validation of the integration tests fails on
 * a header of the API that is sent but not described here.
 */
final class ResponseHeaders {

    static final String REQUEST_ID = "X-Request-Id";
    static final String RETRY_AFTER = "Retry-After";
    static final String ETAG = "ETag";
    static final String LOCATION = "Location";
    static final String CONSISTENCY_TOKEN = "X-Consistency-Token";
    static final String READ_CONSISTENCY = "X-Read-Consistency";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";

    private static final Map<String, Header> WRITE = headers(
            ETAG, header("The key's version, quoted: `\"3\"`; send it as If-Match", true, new StringSchema()),
            CONSISTENCY_TOKEN, header("`<key id>:<version>`: send it on a read to read this write", true,
                    new StringSchema().pattern("^[0-9a-f-]{36}:[0-9]+$")));

    /** Success headers by operation id: the status they come with and the headers. */
    private static final Map<String, Map<String, Map<String, Header>>> SUCCESS = Map.of(
            "createKey", Map.of("201", with(WRITE,
                    LOCATION, header("`/v1/api-keys/{id}` of the new key", true, new StringSchema()),
                    IDEMPOTENT_REPLAYED, header("`true` when this answer replays an earlier create with the same "
                            + "Idempotency-Key (the key then masked)", false, new StringSchema()._enum(List.of("true"))))),
            "updateKey", Map.of("200", WRITE),
            "regenerateKey", Map.of("200", WRITE),
            "deleteKey", Map.of("200", WRITE),
            "adjustCredits", Map.of("200", WRITE),
            "getKey", Map.of("200", headers(
                    ETAG, header("The key's version, quoted (not sent with as_of)", false, new StringSchema()),
                    READ_CONSISTENCY, readConsistency())),
            "listKeys", Map.of("200", headers(READ_CONSISTENCY, readConsistency())));

    private ResponseHeaders() {
    }

    static void document(Operation operation) {
        if (operation.getResponses() == null) {
            return;
        }
        Map<String, Map<String, Header>> success = operation.getOperationId() == null ? Map.of()
                : SUCCESS.getOrDefault(operation.getOperationId(), Map.of());
        operation.getResponses().forEach((status, response) -> {
            add(response, REQUEST_ID, header("The request's id (the caller's, if it sent a valid one), also in the "
                    + "service's logs", true, new StringSchema()));
            if (status.equals("503")) {
                add(response, RETRY_AFTER, header("Seconds to wait before retrying", true,
                        new IntegerSchema().minimum(BigDecimal.ONE)));
            }
            if (status.equals("429")) {
                // a secret key out of credits without a refill cannot retry later: no Retry-After then
                add(response, RETRY_AFTER, header("Seconds to wait before retrying; absent when a secret key used as the "
                        + "credential has no credits left and no refill (`usage_exceeded`)", false,
                        new IntegerSchema().minimum(BigDecimal.ONE)));
                add(response, RATE_LIMIT_POLICY, header("The credential key's rate limits (IETF "
                        + "draft-ietf-httpapi-ratelimit-headers, a structured-field list): `\"<name>\";q=<limit>;w=<window "
                        + "seconds>` per limit", false, new StringSchema()));
                add(response, RATE_LIMIT, header("What remains of each applied limit: `\"<name>\";r=<remaining>;t=<seconds "
                        + "until it grows>` per limit", false, new StringSchema()));
            }
            if (!status.equals("401") && !status.equals("429")) {
                // written at the edge once the key is admitted, before anything answers: on any status but a refusal
                add(response, RATE_LIMIT_POLICY, header("Sent when the credential is a secret key with rate limits "
                        + "(IETF draft-ietf-httpapi-ratelimit-headers, a structured-field list): `\"<name>\";q=<limit>;"
                        + "w=<window seconds>` per limit of the key", false, new StringSchema()));
                add(response, RATE_LIMIT, header("Sent with RateLimit-Policy: what remains of each of the key's limits "
                        + "after this request, `\"<name>\";r=<remaining>;t=<seconds until it grows>`", false,
                        new StringSchema()));
            }
            success.getOrDefault(status, Map.of()).forEach((name, header) -> add(response, name, header));
        });
    }

    private static Header readConsistency() {
        return header("Sent when the request carried an X-Consistency-Token: `fresh` when the answer includes that "
                + "write, `stale` when the wait (2 s) ran out", false, new StringSchema()._enum(List.of("fresh", "stale")));
    }

    private static void add(ApiResponse response, String name, Header header) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeaderObject(name, header);
        }
    }

    private static Header header(String description, boolean required, Schema<?> schema) {
        return new Header().description(description).required(required).schema(schema);
    }

    private static Map<String, Header> headers(Object... namesAndHeaders) {
        Map<String, Header> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndHeaders.length; i += 2) {
            headers.put((String) namesAndHeaders[i], (Header) namesAndHeaders[i + 1]);
        }
        return headers;
    }

    private static Map<String, Header> with(Map<String, Header> base, Object... namesAndHeaders) {
        Map<String, Header> headers = new LinkedHashMap<>(base);
        headers.putAll(headers(namesAndHeaders));
        return headers;
    }
}
