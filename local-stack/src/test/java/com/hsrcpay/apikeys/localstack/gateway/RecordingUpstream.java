package com.hsrcpay.apikeys.localstack.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a service behind the gateway: a JDK HTTP server on loopback that records every request it receives
 * and answers with what the test tells it ({@code 200 {"upstream":"<name>"}} unless told otherwise).
 */
final class RecordingUpstream implements AutoCloseable {

    /** How the upstream answers one request. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    /** One request as the upstream received it. */
    record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }

        String target() {
            return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile Answer answer;

    private RecordingUpstream(String name) {
        this.name = name;
        this.answer = json(200, "{\"upstream\":\"" + name + "\"}");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(record(exchange));
                answer.answer(exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    static RecordingUpstream start(String name) {
        return new RecordingUpstream(name);
    }

    static Answer json(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    void answerWith(Answer next) {
        this.answer = next;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    String name() {
        return name;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private static Received record(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Headers given = exchange.getRequestHeaders();
        given.forEach((key, values) -> headers.put(key, List.copyOf(values)));
        URI uri = exchange.getRequestURI();
        return new Received(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                exchange.getRequestBody().readAllBytes());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
