package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API port listens where it is told and nowhere else: loopback unless KMS_BIND_ADDRESS says otherwise. */
class ApiGatewayBindAddressTest {

    private final RecordingUpstream service = RecordingUpstream.start("service");
    private ApiGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        service.close();
    }

    @Test
    void onLoopbackTheApiPortIsClosedToOtherInterfaces() throws IOException {
        InetAddress external = Sockets.externalAddress();
        gateway = start(GatewaySettings.LOOPBACK);

        assertThat(Sockets.connects(InetAddress.getLoopbackAddress(), gateway.port())).isTrue();
        assertThatThrownBy(() -> Sockets.connects(external, gateway.port())).isInstanceOf(IOException.class);
    }

    @Test
    void onEveryInterfaceTheApiPortAnswersOnThem() throws IOException {
        InetAddress external = Sockets.externalAddress();
        gateway = start("0.0.0.0");

        assertThat(Sockets.connects(external, gateway.port())).isTrue();
    }

    @Test
    void aTakenPortIsAClearFailure() {
        gateway = start(GatewaySettings.LOOPBACK);

        assertThatThrownBy(() -> start(GatewaySettings.LOOPBACK, gateway.port()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(Integer.toString(gateway.port()));
    }

    private ApiGateway start(String bindAddress) {
        return start(bindAddress, 0);
    }

    private ApiGateway start(String bindAddress, int port) {
        return ApiGateway.start(new GatewaySettings(bindAddress, port, GatewaySettings.CONNECT_TIMEOUT,
                GatewaySettings.UPSTREAM_TIMEOUT, WriteTurns.Limits.DEFAULT), service.baseUri(), service.baseUri());
    }
}
