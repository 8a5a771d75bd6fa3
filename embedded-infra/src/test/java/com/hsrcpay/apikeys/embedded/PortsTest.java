package com.hsrcpay.apikeys.embedded;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAndAreNeverHandedOutTwice() throws Exception {
        int ephemeralStart = Ports.ephemeralRangeStart();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = Ports.freePort();
            assertThat(port).isBetween(Ports.LOWEST, ephemeralStart - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
        try (ServerSocket server = new ServerSocket()) {
            int port = ports.iterator().next();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortSomethingListensOnIsSkipped() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = listening.getLocalPort();
            int free = unlistenedPort();
            Deque<Integer> candidates = new ArrayDeque<>(List.of(taken, free));

            assertThat(Ports.freePort(candidates::pop)).isNotEqualTo(taken).isEqualTo(free);
        }
    }

    @Test
    void aPortHandedOutBeforeIsSkippedEvenWhileItIsStillUnbound() throws Exception {
        int first = Ports.freePort();
        int second = Ports.freePort();
        int free = unlistenedPort();
        Deque<Integer> candidates = new ArrayDeque<>(List.of(first, second, free));

        assertThat(Ports.freePort(candidates::pop)).isEqualTo(free);
    }

    /** A port nothing listens on and {@link Ports} never handed out (the kernel's pick, from its ephemeral range). */
    private static int unlistenedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
