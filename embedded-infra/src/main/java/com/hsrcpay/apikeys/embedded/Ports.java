package com.hsrcpay.apikeys.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/** Port helpers shared by the embedded infrastructure and the local stack. */
public final class Ports {

    private Ports() {
    }

    /** The lowest port handed out: below it lie the ports services are commonly configured on. */
    static final int LOWEST = 10_000;
    /** Where the kernels' ephemeral ranges begin when it cannot be read: Linux's default (macOS and Windows: 49152). */
    private static final int EPHEMERAL_DEFAULT = 32_768;
    /** The first port of the kernel's ephemeral range, read once: Linux's setting, else {@link #EPHEMERAL_DEFAULT}. */
    static final int EPHEMERAL_START = readEphemeralRangeStart();
    private static final int CANDIDATES = 1_000;

    /** Ports this JVM handed out: a server given one may not have bound it yet when the next is asked for. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A TCP port that was free on the loopback interface a moment ago and that no outgoing connection will take.
     *
     * <p>A port the kernel picks (bind to port 0) lies in its ephemeral range, from which it also picks every outgoing
     * connection's local port: in the moment between the pick and the server's bind, any client on the machine may
     * take it. So the port is chosen at random from {@link #LOWEST} up to the start of that range, where only
     * listeners bind, and never twice in one JVM. Only when that range is too small are the kernel's picks tried.
     */
    public static int freePort() {
        return freePort(EPHEMERAL_START - LOWEST < CANDIDATES ? Ports::kernelPick
                : () -> ThreadLocalRandom.current().nextInt(LOWEST, EPHEMERAL_START));
    }

    /** The first of {@code candidates} that is free and not handed out before (a test hands out a taken one). */
    static int freePort(IntSupplier candidates) {
        for (int i = 0; i < CANDIDATES; i++) {
            int port = candidates.getAsInt();
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free TCP port on the loopback interface among " + CANDIDATES + " tried");
    }

    private static boolean bindable(int port) {
        try {
            bindAndRelease(port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Binds a listener to {@code port} on loopback (0: the kernel's pick) and closes it; the port it had. */
    private static int bindAndRelease(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            // like the servers themselves: a listener that just closed leaves TIME_WAIT sockets that must not count
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket.getLocalPort();
        }
    }

    private static int kernelPick() {
        try {
            return bindAndRelease(0);
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free TCP port on the loopback interface", e);
        }
    }

    private static int readEphemeralRangeStart() {
        try {
            // a line reader: procfs reports a size of 0, and Files.readString read only the first byte of it
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                    .split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT;
        }
    }

    /**
     * Returns {@code port} if it is 1..65535 and nothing listens on it on the loopback interface (it may be asked for
     * again, say by a restart), a free port if it is 0.
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
        try {
            bindAndRelease(port);
            // a port asked for is in use by this JVM from now on: never one of freePort's answers
            HANDED_OUT.add(port);
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(what + " cannot start: port " + port
                    + " is already in use on " + InetAddress.getLoopbackAddress().getHostAddress()
                    + " (another instance still running? pass another port or 0 for a free one)", e);
        }
    }
}
