package com.hsrcpay.apikeys.embedded;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Scanner;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAndAreNeverHandedOutTwice() throws Exception {
        int ephemeralStart = Ports.EPHEMERAL_START;
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

    @Test
    void theEphemeralRangeIsTheKernelsSetting() throws Exception {
        Path setting = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        // read another way than Ports does (a scanner, not a line reader): procfs answers a whole-file read wrongly
        if (!Files.isReadable(setting)) {
            assertThat(Ports.EPHEMERAL_START).isEqualTo(32_768);
            return;
        }
        try (Scanner range = new Scanner(setting)) {
            assertThat(Ports.EPHEMERAL_START).isEqualTo(range.nextInt());
        }
    }

    @Test
    void aPortAskedForIsNeverAFreePortsAnswer() throws Exception {
        int asked = Ports.freeOrRequested(unlistenedPort(), "test");
        int free = unlistenedPort();
        Deque<Integer> candidates = new ArrayDeque<>(List.of(asked, free));

        assertThat(Ports.freePort(candidates::pop)).isEqualTo(free);
        assertThat(Ports.freeOrRequested(asked, "test")).as("asked for again").isEqualTo(asked);
    }

    /** A port nothing listens on and {@link Ports} never handed out (the kernel's pick, from its ephemeral range). */
    private static int unlistenedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
