package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** How the gateway answers when a service fails, stalls or streams, and what of a service's answer it changes. */
class ApiGatewayUpstreamTest {

    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private final GatewayUnderTest stack = new GatewayUnderTest(TIMEOUT);
    /** Holds a stalling upstream; released when the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        release.countDown();
        pacer.shutdownNow();
        stack.close();
    }

    @Test
    void aServiceThatDoesNotAnswerIs502InTheEnvelopeOfThePath() {
        stack.query.close();
        stack.command.close();

        assertThat(Envelopes.assertV1Error(RawHttp.send(stack.port(), RawHttp.get("/v1/whoami")), 502))
                .isEqualTo("upstream_unavailable");
        Envelopes.assertApplicationsError(RawHttp.send(stack.port(),
                RawHttp.request("DELETE", "/api/v1/applications/a/api-keys/b")), 502);
    }

    @Test
    void aServiceThatSendsNoHeadersInTimeIs504() {
        stack.query.answerWith(exchange -> awaitRelease());

        long started = System.nanoTime();
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("/v1/whoami"));

        assertThat(Envelopes.assertV1Error(answer, 504)).isEqualTo("upstream_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServiceSilentAfterItsHeadersIs504() {
        stack.query.answerWith(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            awaitRelease();
        });

        assertThat(Envelopes.assertV1Error(RawHttp.send(stack.port(), RawHttp.get("/v1/audit/events")), 504))
                .isEqualTo("upstream_timeout");
    }

    @Test
    void aStreamedAnswerReachesTheClientWhileTheServiceIsStillWriting() throws Exception {
        CountDownLatch lastLineWritten = new CountDownLatch(1);
        stack.query.answerWith(exchange -> {
            OutputStream body = startNdjson(exchange);
            body.write("{\"line\":1}\n".getBytes(StandardCharsets.UTF_8));
            body.flush();
            awaitRelease();
            body.write("{\"line\":2}\n".getBytes(StandardCharsets.UTF_8));
            lastLineWritten.countDown();
        });

        try (Stream<String> lines = streamLines("/v1/audit/events")) {
            Iterator<String> received = lines.iterator();
            assertThat(received.next()).isEqualTo("{\"line\":1}");
            assertThat(lastLineWritten.getCount()).as("the service is still writing").isEqualTo(1);
            release.countDown();
            assertThat(received.next()).isEqualTo("{\"line\":2}");
            assertThat(received.hasNext()).isFalse();
        }
    }

    /** The bound is on the silence between two pieces, not on the whole answer: an export may stream for hours. */
    @Test
    void aStreamLongerThanTheTimeoutWithShortPausesArrivesWhole() throws Exception {
        int count = 8;
        BlockingQueue<String> paced = new LinkedBlockingQueue<>();
        for (int i = 1; i <= count; i++) {
            String line = "{\"line\":" + i + "}\n";
            pacer.schedule(() -> paced.add(line), i * TIMEOUT.toMillis() / 3, TimeUnit.MILLISECONDS);
        }
        stack.query.answerWith(exchange -> {
            OutputStream body = startNdjson(exchange);
            for (int i = 0; i < count; i++) {
                body.write(take(paced).getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        });

        long started = System.nanoTime();
        try (Stream<String> lines = streamLines("/v1/audit/events")) {
            assertThat(lines.toList()).hasSize(count).last().isEqualTo("{\"line\":" + count + "}");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(TIMEOUT.multipliedBy(2));
    }

    /** Half an answer must not look whole: the connection closes without the final chunk. */
    @Test
    void aStreamThatFallsSilentIsCutOffWithoutItsEnd() throws IOException {
        stack.query.answerWith(exchange -> {
            OutputStream body = startNdjson(exchange);
            body.write("{\"line\":1}\n".getBytes(StandardCharsets.UTF_8));
            body.flush();
            awaitRelease();
        });

        long started = System.nanoTime();
        String received;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", stack.port()));
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(RawHttp.get("/v1/audit/events").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            received = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(received).startsWith("HTTP/1.1 200").contains("{\"line\":1}").doesNotEndWith("0\r\n\r\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAbsoluteLocationNamingAServiceIsMadeRelative() {
        String[] given = {
                "http://127.0.0.1:" + stack.command.port() + "/v1/api-keys/abc?x=1",
                "http://localhost:" + stack.command.port() + "/v1/api-keys/abc",
                "http://127.0.0.1:" + stack.query.port(),
                "/v1/api-keys/abc",
                "https://docs.example.com/keys"};
        String[] expected = {"/v1/api-keys/abc?x=1", "/v1/api-keys/abc", "/", "/v1/api-keys/abc", "https://docs.example.com/keys"};
        for (int i = 0; i < given.length; i++) {
            String location = given[i];
            stack.command.answerWith(exchange -> {
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(201, -1);
            });

            RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request("POST", "/v1/api-keys/", "Content-Length: 0"));

            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.headers().get("Location")).as("Location %s", location).containsExactly(expected[i]);
        }
    }

    @Test
    void aServicesOwnErrorPassesUnchanged() {
        String envelope = "{\"message\":\"No such key\",\"success\":false,\"error\":{\"code\":404,\"message\":\"No such key\","
                + "\"details\":{\"reason\":\"not_found\"}}}";
        stack.query.answerWith(RecordingUpstream.json(404, envelope));

        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("/v1/api-keys/abc"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).isEqualTo(envelope);
    }

    private Stream<String> streamLines(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + path)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        return response.body();
    }

    private static OutputStream startNdjson(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String take(BlockingQueue<String> queue) throws IOException {
        try {
            String next = queue.poll(30, TimeUnit.SECONDS);
            if (next == null) {
                throw new UncheckedIOException(new IOException("the pacer stopped"));
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
