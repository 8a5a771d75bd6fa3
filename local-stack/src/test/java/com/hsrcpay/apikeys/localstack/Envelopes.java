package com.hsrcpay.apikeys.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** What every error answer on every port must be: the JSON envelope of its path, and nothing about the server. */
public final class Envelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {
    }

    /** The {@code /v1} error envelope with this status; returns {@code error.details.reason}. */
    public static String assertV1Error(RawHttp.Answer answer, int status) {
        JsonNode body = assertErrorAnswer(answer, status);
        assertThat(body.path("success").isBoolean() && !body.path("success").asBoolean()).as("success: false in %s", answer).isTrue();
        assertThat(body.path("message").isTextual()).as("message in %s", answer).isTrue();
        assertThat(body.at("/error/code").asInt()).as("error.code in %s", answer).isEqualTo(status);
        assertThat(body.at("/error/message").isTextual()).as("error.message in %s", answer).isTrue();
        assertThat(body.at("/error/details").isObject()).as("error.details in %s", answer).isTrue();
        assertThat(body.at("/error/details/reason").isTextual()).as("error.details.reason in %s", answer).isTrue();
        return body.at("/error/details/reason").asText();
    }

    /** The applications API's flat error envelope with this status. */
    public static void assertApplicationsError(RawHttp.Answer answer, int status) {
        JsonNode body = assertErrorAnswer(answer, status);
        assertThat(body.path("code").asInt()).as("code in %s", answer).isEqualTo(status);
        assertThat(body.path("error").isTextual()).as("error in %s", answer).isTrue();
        assertThat(body.path("message").isTextual()).as("message in %s", answer).isTrue();
        assertThat(body.path("details").isArray()).as("details in %s", answer).isTrue();
        assertThat(body.has("success")).as("not the /v1 envelope: %s", answer).isFalse();
    }

    private static JsonNode assertErrorAnswer(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
        assertRevealsNothing(answer);
        assertThat(answer.header("Content-Type")).as("content type of %s", answer).startsWith("application/json");
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + answer, e);
        }
    }

    /** No server name or version, no HTML, no stack trace, no Java class names. */
    public static void assertRevealsNothing(RawHttp.Answer answer) {
        assertThat(answer.headers()).as("headers of %s", answer).doesNotContainKeys("Server", "X-Powered-By");
        assertThat(answer.body()).as("body of %s", answer)
                .doesNotContainIgnoringCase("<html")
                .doesNotContainIgnoringCase("<!doctype")
                .doesNotContainIgnoringCase("tomcat")
                .doesNotContainIgnoringCase("apache")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("java.")
                .doesNotContain("org.");
    }
}
