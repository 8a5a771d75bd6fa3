package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook latency on the local stack: for N keys deleted one after another, the time from the DELETE returning to its
 * caller until a local receiver (the JDK's HTTP server on loopback, as a merchant's would be) holds the signed
 * {@code api_key.deleted} delivery; beside it, for the same deletes in the same run, until a consumer of
 * {@code api-key-revocations} holds the revocation record. The contract's target: webhook p99 at most twice the
 * revocation p99.
 *
 * <pre>./mvnw -q -DskipTests package && java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.WebhookLatencyBenchmark [keys=500]</pre>
 */
public final class WebhookLatencyBenchmark {

    private static final Pattern KEY_ID = Pattern.compile("\"data\":\\{[^}]*?\"id\":\"([0-9a-f-]{36})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private WebhookLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0].replace("keys=", "")) : 500;
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            long at = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher id = KEY_ID.matcher(body);
            if (id.find()) {
                deliveredAt.putIfAbsent(id.group(1), at);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String api = "http://localhost:" + stack.apiPort;
            String kafka = "localhost:" + stack.kafkaPort;
            String token = stack.token();
            createEndpoint(api, token, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");

            List<String> ids = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                ids.add(RevocationLatencyBenchmark.createKey(api, token, i));
            }
            Thread.sleep(2_000); // the creates' own deliveries are out of the way (the endpoint hears only deletes)
            Map<String, Long> consumedAt = new ConcurrentHashMap<>();
            long[] returnedAt = new long[keys];
            try (TailingConsumer consumer = TailingConsumer.start(
                    kafka, KeyRevocation.TOPIC, record -> consumedAt.putIfAbsent(record.key(), System.nanoTime()))) {
                for (int i = 0; i < keys; i++) {
                    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/"
                                    + ids.get(i))).header("Authorization", "Bearer " + token).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    returnedAt[i] = System.nanoTime();
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("delete answered " + response.statusCode());
                    }
                }
                RevocationLatencyBenchmark.awaitAll(consumedAt, Set.copyOf(ids));
                RevocationLatencyBenchmark.awaitAll(deliveredAt, Set.copyOf(ids));
            }
            long[] revocation = new long[keys];
            long[] webhook = new long[keys];
            for (int i = 0; i < keys; i++) {
                revocation[i] = Math.max(0, consumedAt.get(ids.get(i)) - returnedAt[i]);
                webhook[i] = Math.max(0, deliveredAt.get(ids.get(i)) - returnedAt[i]);
            }
            Percentiles revocations = Percentiles.of(revocation);
            Percentiles webhooks = Percentiles.of(webhook);
            System.out.println();
            System.out.println("Webhook latency, " + keys + " keys deleted one after another ("
                    + Runtime.getRuntime().availableProcessors() + " cores):");
            System.out.println(revocations.line("baseline: DELETE returned -> revocation consumed (Kafka)"));
            System.out.println(webhooks.line("DELETE returned -> api_key.deleted received (webhook)"));
            System.out.printf(Locale.ROOT, "ratio to baseline: p50 x%.2f, p99 x%.2f (target: p99 <= x2)%n",
                    webhooks.millis(50) / revocations.millis(50), webhooks.millis(99) / revocations.millis(99));
        } finally {
            receiver.stop(0);
        }
    }

    private static void createEndpoint(String api, String token, String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api
                        + "/v1/webhook-endpoints?account_id=acct_dev")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"events\":[\"api_key.deleted\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the webhook endpoint answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
