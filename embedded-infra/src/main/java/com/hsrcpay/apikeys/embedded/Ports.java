package com.hsrcpay.apikeys.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers shared by the embedded infrastructure and the local stack. */
public final class Ports {

    private Ports() {
    }

    /** A TCP port that was free on the loopback interface a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free TCP port on the loopback interface", e);
        }
    }

    /**
     * Returns {@code port} if it is 1..65535 and nothing listens on it on the loopback interface, a free port if it is 0.
     *
     * @param what used in the exception message, e.g. "PostgreSQL"
     */
    public static int freeOrRequested(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be 0 (pick a free one) or 1..65535, was " + port);
        }
        if (port == 0) {
            return freePort();
        }
        try (ServerSocket socket = new ServerSocket()) {
            // like the servers themselves: a listener that just closed leaves TIME_WAIT sockets that must not count
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(what + " cannot start: port " + port
                    + " is already in use on " + InetAddress.getLoopbackAddress().getHostAddress()
                    + " (another instance still running? pass another port or 0 for a free one)", e);
        }
    }
}
