package com.hsrcpay.apikeys.localstack.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        InetAddress external = externalAddress();
        gateway = start(GatewaySettings.LOOPBACK);

        assertThat(connects(InetAddress.getLoopbackAddress(), gateway.port())).isTrue();
        assertThatThrownBy(() -> connects(external, gateway.port())).isInstanceOf(IOException.class);
    }

    @Test
    void onEveryInterfaceTheApiPortAnswersOnThem() throws IOException {
        InetAddress external = externalAddress();
        gateway = start("0.0.0.0");

        assertThat(connects(external, gateway.port())).isTrue();
    }

    private ApiGateway start(String bindAddress) {
        return ApiGateway.start(new GatewaySettings(bindAddress, 0, GatewaySettings.CONNECT_TIMEOUT,
                GatewaySettings.UPSTREAM_TIMEOUT), service.baseUri(), service.baseUri());
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return socket.isConnected();
        }
    }

    /** An IPv4 address of this machine that is not loopback; the test needs one. */
    private static InetAddress externalAddress() throws SocketException {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces()
                .filter(ApiGatewayBindAddressTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
        assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address");
        return found.get();
    }

    private static boolean isUp(NetworkInterface face) {
        try {
            return face.isUp() && !face.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
