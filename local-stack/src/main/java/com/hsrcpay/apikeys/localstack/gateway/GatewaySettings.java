package com.hsrcpay.apikeys.localstack.gateway;

import java.time.Duration;

/**
 * How the gateway listens and how long it waits for a service.
 *
 * @param bindAddress     the address the API port listens on ({@code 127.0.0.1}: this machine only)
 * @param port            the API port, 0 for a free one
 * @param connectTimeout  longest wait for a service to accept the connection
 * @param upstreamTimeout longest wait for a service's response headers, and longest silence inside a streamed
 *                        response body (the audit export streams as long as it needs, but never stalls that long)
 * @param writeTurns      how many writes of one credential are forwarded at once, and how long the next waits
 */
public record GatewaySettings(String bindAddress, int port, Duration connectTimeout, Duration upstreamTimeout,
                              WriteTurns.Limits writeTurns) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    /** The defaults, listening on loopback. */
    public static GatewaySettings onLoopback(int port) {
        return new GatewaySettings(LOOPBACK, port, CONNECT_TIMEOUT, UPSTREAM_TIMEOUT, WriteTurns.Limits.DEFAULT);
    }
}
