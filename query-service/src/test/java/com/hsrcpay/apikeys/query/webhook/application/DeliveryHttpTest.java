package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook client against a real HTTP server on loopback: the target rules are applied to the addresses the
 * connection uses (a refused answer means no connection at all), the local profile's {@code localhost} works, no
 * redirect is followed, the body and headers arrive as given, and the deadline ends a receiver that never answers.
 */
class DeliveryHttpTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (InputStream in = exchange.getRequestBody()) {
                seen.add(exchange.getRequestHeaders().getFirst("content-type") + " "
                        + exchange.getRequestHeaders().getFirst("webhook-id") + " "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location", "/elsewhere");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/silent" -> {
                    try {
                        never.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
                default -> {
                    byte[] answer = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8); // never read
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        never.countDown();
        server.stop(0);
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedInsideTheConnectAndNothingConnects() throws Exception {
        HostResolver rebound = host -> List.of(InetAddress.getLoopbackAddress());
        try (DeliveryHttp http = new DeliveryHttp(rebound, new DeliveryTargets(true), 2000, 2)) {
            assertThatThrownBy(() -> http.post(URI.create(url("hooks.example.com", "/hook")), Map.of(), new byte[0]))
                    .isInstanceOf(TargetCheckingResolver.RefusedTarget.class)
                    .hasMessageContaining("private, loopback or link-local");
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void everyLookupIsCheckedWhateverItAnsweredBefore() throws Exception {
        // the first answer is public, the second loopback: each connection uses only the answer it checked
        AtomicInteger lookups = new AtomicInteger();
        HostResolver flipping = host -> lookups.getAndIncrement() % 2 == 0
                ? List.of(InetAddress.getByAddress(new byte[]{(byte) 203, 0, 113, 10}))
                : List.of(InetAddress.getLoopbackAddress());
        TargetCheckingResolver resolver = new TargetCheckingResolver(flipping, new DeliveryTargets(false));
        assertThat(resolver.resolve("hooks.example.com"))
                .containsExactly(InetAddress.getByAddress(new byte[]{(byte) 203, 0, 113, 10}));
        assertThatThrownBy(() -> resolver.resolve("hooks.example.com", 443))
                .isInstanceOf(TargetCheckingResolver.RefusedTarget.class);
        assertThat(resolver.resolve("hooks.example.com", 443)).singleElement()
                .satisfies(address -> assertThat(address.getPort()).isEqualTo(443));
        assertThat(lookups).hasValue(3);
    }

    @Test
    void theLocalProfilesLocalhostIsAllowedAndOnlyByItsName() throws Exception {
        try (DeliveryHttp local = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(true), 2000, 2)) {
            assertThat(local.post(URI.create(url("localhost", "/hook")),
                    Map.of("webhook-id", "msg_1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
            assertThat(local.post(URI.create(url("127.0.0.1", "/hook")), Map.of("webhook-id", "msg_2"),
                    new byte[0])).isEqualTo(200);
        }
        assertThat(seen).containsExactly("application/json msg_1 {\"a\":1}", "application/json msg_2 ");
        try (DeliveryHttp production = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(false), 2000, 2)) {
            assertThatThrownBy(() -> production.post(URI.create(url("127.0.0.1", "/hook")), Map.of(), new byte[0]))
                    .isInstanceOf(TargetCheckingResolver.RefusedTarget.class);
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (DeliveryHttp http = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(true), 2000, 2)) {
            assertThat(http.post(URI.create(url("localhost", "/redirect")), Map.of(), new byte[0])).isEqualTo(302);
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aReceiverThatNeverAnswersRunsIntoTheDeadline() throws Exception {
        try (DeliveryHttp http = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(true), 300, 2)) {
            assertThatThrownBy(() -> http.post(URI.create(url("localhost", "/silent")), Map.of(), new byte[0]))
                    .isInstanceOf(DeliveryHttp.DeadlineExceeded.class);
        }
    }

    @Test
    void anUnresolvableNameIsAnUnknownHost() throws Exception {
        HostResolver nothing = host -> {
            throw new UnknownHostException(host);
        };
        try (DeliveryHttp http = new DeliveryHttp(nothing, new DeliveryTargets(false), 2000, 2)) {
            assertThatThrownBy(() -> http.post(URI.create("https://nowhere.example.com/hook"), Map.of(), new byte[0]))
                    .isInstanceOf(UnknownHostException.class)
                    .isNotInstanceOf(TargetCheckingResolver.RefusedTarget.class);
        }
    }
}
