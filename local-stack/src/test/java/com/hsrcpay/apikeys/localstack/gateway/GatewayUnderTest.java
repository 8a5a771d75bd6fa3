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
        this(upstreamTimeout, WriteTurns.Limits.DEFAULT);
    }

    GatewayUnderTest(WriteTurns.Limits writeTurns) {
        this(GatewaySettings.UPSTREAM_TIMEOUT, writeTurns);
    }

    private GatewayUnderTest(Duration upstreamTimeout, WriteTurns.Limits writeTurns) {
        gateway = ApiGateway.start(new GatewaySettings(GatewaySettings.LOOPBACK, 0, GatewaySettings.CONNECT_TIMEOUT,
                upstreamTimeout, writeTurns), command.baseUri(), query.baseUri());
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
