package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    /** Two credentials are the services' to refuse (400); the gateway must not pick one. */
    @Test
    void twoAuthorizationHeadersAreBothForwardedUnchanged() {
        RawHttp.send(stack.port(), RawHttp.get("/v1/whoami", "Authorization: Bearer first", "Authorization: Bearer second"));

        assertThat(stack.query.received().get(0).header("Authorization")).containsExactly("Bearer first", "Bearer second");
    }
}
