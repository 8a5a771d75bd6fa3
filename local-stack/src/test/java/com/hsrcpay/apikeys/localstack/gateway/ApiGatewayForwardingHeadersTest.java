package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway replaces every forwarding header a client sends: the services learn the TCP peer, not a claim. */
class ApiGatewayForwardingHeadersTest {

    private final GatewayUnderTest stack = new GatewayUnderTest();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void theServiceSeesExactlyOneXForwardedForAndItIsThePeer() {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("/v1/whoami",
                "X-Forwarded-For: 203.0.113.7",
                "X-Forwarded-For: 198.51.100.1, 192.0.2.1",
                "X-Real-IP: 203.0.113.8",
                "Forwarded: for=203.0.113.9;proto=https;host=evil.example",
                "X-Forwarded-Host: evil.example",
                "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 443",
                "X-Forwarded-Prefix: /evil",
                "X-Forwarded-Server: evil.example"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        RecordingUpstream.Received received = stack.query.received().get(0);
        assertThat(received.header("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).containsExactly("http");
        assertThat(received.header("X-Forwarded-Host")).containsExactly("localhost");
        assertThat(received.header("X-Forwarded-Port")).containsExactly(Integer.toString(stack.port()));
        assertThat(received.headers()).doesNotContainKeys("X-Real-IP", "Forwarded", "X-Forwarded-Prefix",
                "X-Forwarded-Server");
    }

    @Test
    void lowerCaseForwardingHeadersAreReplacedToo() {
        RawHttp.send(stack.port(), RawHttp.get("/v1/whoami", "x-forwarded-for: 203.0.113.7", "forwarded: for=1.2.3.4",
                "x-real-ip: 203.0.113.8"));

        RecordingUpstream.Received received = stack.query.received().get(0);
        assertThat(received.header("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.headers()).doesNotContainKeys("X-Real-IP", "Forwarded");
    }

    /** The JDK client writes header values as ASCII: a value it cannot send as it came is refused, never altered. */
    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "caf\u00c3\u00a9", "a\u0085b", "a\u0000b", "a\u007fb"})
    void aHeaderValueThatCannotBeForwardedAsItCameIsRefused(String value) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request("POST", "/v1/api-keys/",
                "Idempotency-Key: " + value, "Content-Length: 0"));

        assertThat(Envelopes.assertV1Error(answer, 400)).isIn("invalid_header", "bad_request");
        assertThat(stack.nothingForwarded()).as("nothing reached a service").isTrue();
    }

    /** Two credentials are the services' to refuse (400); the gateway must not pick one. */
    @Test
    void twoAuthorizationHeadersAreBothForwardedUnchanged() {
        RawHttp.send(stack.port(), RawHttp.get("/v1/whoami", "Authorization: Bearer first", "Authorization: Bearer second"));

        assertThat(stack.query.received().get(0).header("Authorization")).containsExactly("Bearer first", "Bearer second");
    }
}
