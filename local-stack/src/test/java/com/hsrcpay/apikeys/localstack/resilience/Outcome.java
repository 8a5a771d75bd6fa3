package com.hsrcpay.apikeys.localstack.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;

/**
 * What one request of the load generator got: the status (or why there was none), when it was sent and how long it
 * took. {@code status} is 0 when no answer came; {@code failure} then names the reason (timeout, refused, reset …).
 */
record Outcome(String label, long sentAtNanos, long latencyNanos, int status, HttpHeaders headers, String body,
               String failure) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TIMEOUT = "timeout";
    static final String REFUSED = "refused";

    boolean answered() {
        return status > 0;
    }

    boolean serverError() {
        return status >= 500;
    }

    Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    boolean within(Duration bound) {
        return latencyNanos <= bound.toNanos();
    }

    /** The status, or the failure for requests that got none: what the figures count. */
    String kind() {
        return answered() ? Integer.toString(status) : failure;
    }

    String header(String name) {
        return headers == null ? null : headers.firstValue(name).orElse(null);
    }

    /** The body as JSON; a missing node when there was no answer. */
    JsonNode json() {
        if (body == null) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON (" + kind() + "): " + body, e);
        }
    }

    /** {@code /data/...} of the success envelope, as text; null when absent. */
    String data(String field) {
        JsonNode node = json().at("/data/" + field);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    @Override
    public String toString() {
        return label + " " + kind() + " in " + latency().toMillis() + " ms"
                + (body == null || body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) : body));
    }
}
