package com.hsrcpay.apikeys.localstack;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where something listens, seen from this machine. */
public final class Sockets {

    private Sockets() {
    }

    /** True when a TCP connection opens; the failure (refused, unreachable) is thrown. */
    public static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return socket.isConnected();
        }
    }

    /** An IPv4 address of this machine that is not loopback; the calling test is skipped without one. */
    public static InetAddress externalAddress() throws SocketException {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces()
                .filter(Sockets::isUpAndNotLoopback)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLinkLocalAddress())
                .findFirst();
        assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address");
        return found.get();
    }

    private static boolean isUpAndNotLoopback(NetworkInterface face) {
        try {
            return face.isUp() && !face.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
