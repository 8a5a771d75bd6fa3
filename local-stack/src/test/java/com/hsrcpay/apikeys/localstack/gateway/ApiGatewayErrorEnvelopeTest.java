package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.ConnectorRefusals;
import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway's own web server refuses is in the envelope too: no HTML, no version, no stack trace. */
class ApiGatewayErrorEnvelopeTest {

    private final GatewayUnderTest stack = new GatewayUnderTest();

    @AfterEach
    void stop() {
        stack.close();
    }

    static List<ConnectorRefusals.Case> refusals() {
        return ConnectorRefusals.all("/v1/keys/verify");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void theConnectorsRefusalIsInTheEnvelopeOfThePath(ConnectorRefusals.Case refusal) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), refusal.request());

        if (refusal.applicationsPath()) {
            Envelopes.assertApplicationsError(answer, refusal.status());
        } else {
            Envelopes.assertV1Error(answer, refusal.status());
        }
        assertThat(stack.nothingForwarded()).as("nothing reached a service").isTrue();
    }

    /** Tomcat would keep a processor's HTTP/0.9 flag and answer the next unreadable request line without a status. */
    @Test
    void afterAnHttp09RequestAnUnreadableRequestLineStillGetsItsStatusLine() throws IOException {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", stack.port())) {
                socket.getOutputStream().write("GET /v1/whoami\r\n".getBytes(StandardCharsets.ISO_8859_1));
                socket.getInputStream().readAllBytes();
            }
            RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("/v1/<probe>"));

            assertThat(answer.statusLine()).startsWith("HTTP/1.1 400");
            Envelopes.assertV1Error(answer, 400);
        }
    }
}
