package com.hsrcpay.apikeys.localstack.gateway;

import java.time.Duration;

/** The real gateway on a free port in front of two recording upstreams. */
final class GatewayUnderTest implements AutoCloseable {

    final RecordingUpstream command = RecordingUpstream.start("command");
    final RecordingUpstream query = RecordingUpstream.start("query");
    final ApiGateway gateway;

    GatewayUnderTest() {
        this(GatewaySettings.UPSTREAM_TIMEOUT);
    }

    GatewayUnderTest(Duration upstreamTimeout) {
        gateway = ApiGateway.start(new GatewaySettings(GatewaySettings.LOOPBACK, 0, GatewaySettings.CONNECT_TIMEOUT,
                upstreamTimeout), command.baseUri(), query.baseUri());
    }

    int port() {
        return gateway.port();
    }

    boolean nothingForwarded() {
        return command.received().isEmpty() && query.received().isEmpty();
    }

    @Override
    public void close() {
        gateway.close();
        command.close();
        query.close();
    }
}
