package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revocation latency on the local stack: the time from a DELETE returning to its caller until a consumer of
 * {@code api-key-revocations} holds the record, for N keys revoked one after another. Beside it, in the same
 * run and on the same broker, the raw Kafka latency from send to consume (idempotent producer, acks=all), the
 * floor no revocation path can beat.
 *
 * <pre>./mvnw -q -DskipTests package && java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.RevocationLatencyBenchmark [keys=1000]</pre>
 */
public final class RevocationLatencyBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RevocationLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0].replace("keys=", "")) : 1000;
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String api = "http://localhost:" + stack.apiPort;
            String kafka = "localhost:" + stack.kafkaPort;
            String token = stack.token();

            List<String> ids = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                ids.add(createKey(api, token, i));
            }
            Percentiles raw = rawKafka(kafka, keys);
            Percentiles revocation = revocations(api, token, kafka, ids);

            System.out.println();
            System.out.println("Revocation latency, " + keys + " keys revoked one after another ("
                    + Runtime.getRuntime().availableProcessors() + " cores):");
            System.out.println(raw.line("baseline: Kafka send -> consumed (raw)"));
            System.out.println(revocation.line("DELETE returned -> revocation consumed"));
            System.out.printf(java.util.Locale.ROOT, "ratio to baseline: p50 x%.1f, p99 x%.1f%n",
                    revocation.millis(50) / raw.millis(50), revocation.millis(99) / raw.millis(99));
        }
    }

    static String createKey(String api, String token, int i) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/?account_id=acct_dev"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"bench " + i + "\",\"permissions\":{\"account:api:key\":[\"read\"]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create answered " + response.statusCode());
        }
        Matcher matcher = ID.matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("create answered without an id");
        }
        return matcher.group(1);
    }

    /** Revokes the keys one by one; latency = record consumed - DELETE returned (0 if the record came first). */
    private static Percentiles revocations(String api, String token, String kafka, List<String> ids) throws Exception {
        Map<String, Long> consumedAt = new ConcurrentHashMap<>();
        try (TailingConsumer consumer = TailingConsumer.start(kafka, KeyRevocation.TOPIC,
                record -> consumedAt.putIfAbsent(record.key(), System.nanoTime()))) {
            long[] latencies = new long[ids.size()];
            long[] returnedAt = new long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/" + ids.get(i)))
                        .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                returnedAt[i] = System.nanoTime();
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("delete answered " + response.statusCode());
                }
            }
            awaitAll(consumedAt, Set.copyOf(ids));
            for (int i = 0; i < ids.size(); i++) {
                latencies[i] = Math.max(0, consumedAt.get(ids.get(i)) - returnedAt[i]);
            }
            return Percentiles.of(latencies);
        }
    }

    /** The floor: one record at a time, send -> consumed, with the producer settings the publisher uses. */
    static Percentiles rawKafka(String kafka, int count) throws Exception {
        try (KafkaRoundTrip roundTrip = new KafkaRoundTrip(kafka)) {
            long[] latencies = new long[count];
            for (int i = 0; i < count; i++) {
                latencies[i] = roundTrip.once();
            }
            return Percentiles.of(latencies);
        }
    }

    static void awaitAll(Map<String, Long> consumed, Set<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!consumed.keySet().containsAll(keys)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not every record arrived within 2 minutes");
            }
            Thread.sleep(10); // polling a map the consumer thread fills
        }
    }
}
