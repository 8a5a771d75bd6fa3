package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile request targets: refused in the envelope and forwarded nowhere, neither to a service nor to the host and
 * port they name ({@code elsewhere}, a server that records whatever reaches it).
 */
class ApiGatewayRefusalTest {

    private final GatewayUnderTest stack = new GatewayUnderTest();
    private final RecordingUpstream elsewhere = RecordingUpstream.start("elsewhere");

    @AfterEach
    void stop() {
        stack.close();
        elsewhere.close();
    }

    /** Was an open proxy: the JDK's URI.resolve read "//host:port/..." as another authority. */
    @Test
    void aPathStartingWithTwoSlashesIs404AndReachesNeitherThatHostNorAService() {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("//127.0.0.1:" + elsewhere.port() + "/actuator",
                "Authorization: Bearer secret-of-the-caller"));

        assertThat(Envelopes.assertV1Error(answer, 404)).isEqualTo("not_found");
        assertNothingForwarded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//127.0.0.1:%d/v1/whoami", "//v1/whoami", "/v1//whoami", "/v1/api-keys//x", "///v1/whoami"})
    void emptyPathSegmentsAre404(String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get(target.formatted(elsewhere.port())));

        assertThat(Envelopes.assertV1Error(answer, 404)).isEqualTo("not_found");
        assertNothingForwarded();
    }

    @Test
    void anAbsoluteFormTargetIsRefused() {
        String authority = "127.0.0.1:" + elsewhere.port();
        RawHttp.Answer answer = RawHttp.send(stack.port(), "GET http://" + authority + "/v1/whoami HTTP/1.1\r\nHost: "
                + authority + "\r\nConnection: close\r\n\r\n");

        assertThat(Envelopes.assertV1Error(answer, 400)).isEqualTo("rejected_request");
        assertNothingForwarded();
    }

    @Test
    void anAbsoluteFormTargetNamingTheGatewayItselfIsRefusedToo() {
        RawHttp.Answer answer = RawHttp.send(stack.port(),
                "GET http://localhost/v1/whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(Envelopes.assertV1Error(answer, 400)).isEqualTo("rejected_request");
        assertNothingForwarded();
    }

    @Test
    void connectIsRefused() {
        String authority = "127.0.0.1:" + elsewhere.port();
        RawHttp.Answer answer = RawHttp.send(stack.port(),
                "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");

        assertThat(Envelopes.assertV1Error(answer, 400)).isEqualTo("rejected_request");
        assertNothingForwarded();
    }

    /** HTTP/0.9 has no status line and no headers: the answer is the envelope's body alone. */
    @Test
    void anHttp09RequestIsRefused() throws IOException {
        String answer;
        try (Socket socket = new Socket("127.0.0.1", stack.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET /v1/whoami\r\n".getBytes(StandardCharsets.ISO_8859_1));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("{").contains("\"code\":400", "\"reason\":\"rejected_request\"");
        assertNothingForwarded();
    }

    @Test
    void anAuthorityFormTargetIsRefused() {
        RawHttp.Answer answer = RawHttp.send(stack.port(),
                "GET 127.0.0.1:" + elsewhere.port() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Envelopes.assertV1Error(answer, 400);
        assertNothingForwarded();
    }

    /** The one request-target that is not a path: Tomcat answers it with the methods it knows, before any valve. */
    @Test
    void optionsAsteriskIsAnsweredByTheGatewayItself() {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request("OPTIONS", "*"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        Envelopes.assertRevealsNothing(answer);
        assertNothingForwarded();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/../actuator",
            "/v1/api-keys/../../actuator/health",
            "/v1/./whoami",
            "/v1/whoami/.",
            "/v1/%2e%2e/actuator",
            "/v1/%2E%2E/actuator",
            "/v1/.%2e/actuator",
            "/v1/api-keys%2f..%2f..%2factuator",
            "/v1/api-keys%2F..%2Factuator",
            "/v1/api-keys%5c..%5cactuator",
            "/v1/whoami%00",
            "/v1/who%00ami",
            "/v1/whoami%0d%0aX-Injected:%201",
            "/v1/whoami%09",
            "/v1/whoami;jsessionid=1",
            "/v1/api-keys;x=1/abc",
            "/v1/%77hoami"})
    void dotSegmentsEncodedSeparatorsAndControlCharactersAreRefused(String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get(target));

        assertThat(Envelopes.assertV1Error(answer, 400)).isIn("rejected_request", "bad_request");
        assertNothingForwarded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/api-keys\\..\\actuator", "/v1/who\u0001ami", "/v1/who\u007fami", "/v1/who ami"})
    void rawBackslashesAndControlCharactersAreRefused(String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get(target));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        Envelopes.assertV1Error(answer, 400);
        assertNothingForwarded();
    }

    private void assertNothingForwarded() {
        assertThat(elsewhere.received()).as("nothing reached the host the path names").isEmpty();
        assertThat(stack.nothingForwarded()).as("nothing reached a service").isTrue();
    }
}
