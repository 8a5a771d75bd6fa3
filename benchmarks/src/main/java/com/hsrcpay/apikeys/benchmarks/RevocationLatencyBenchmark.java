package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revocation latency on the local stack: the time from a DELETE returning to its caller until a consumer of
 * {@code api-key-revocations} holds the record, for N keys revoked one after another. Beside it, each revocation
 * followed by one, on the same broker, the raw Kafka latency from send to consume (idempotent producer, acks=all), the
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
            Thread.sleep(2_000); // the creates' own records published before the measured revocations
            long[] revocation = new long[keys];
            long[] sinceSent = new long[keys];
            long[] raw = new long[keys];
            Map<String, Long> consumedAt = new ConcurrentHashMap<>();
            try (TailingConsumer consumer = TailingConsumer.start(kafka, KeyRevocation.TOPIC,
                    record -> consumedAt.putIfAbsent(record.key(), System.nanoTime()));
                 KafkaRoundTrip roundTrip = new KafkaRoundTrip(kafka)) {
                // turn about, so drift of the machine hits the figure and its baseline alike
                for (int i = 0; i < keys; i++) {
                    Latency latency = revoke(api, token, ids.get(i), consumedAt);
                    revocation[i] = latency.sinceAnswered();
                    sinceSent[i] = latency.sinceSent();
                    raw[i] = roundTrip.once();
                }
            }
            Percentiles rawFigures = Percentiles.of(raw);
            Percentiles revocationFigures = Percentiles.of(revocation);
            long beforeTheAnswer = Arrays.stream(revocation).filter(latency -> latency == 0).count();

            System.out.println();
            System.out.println("Revocation latency, " + keys + " keys revoked one after another, each followed by a raw"
                    + " Kafka round trip (" + Runtime.getRuntime().availableProcessors() + " cores):");
            System.out.println(rawFigures.line("baseline: Kafka send -> consumed (raw)"));
            System.out.println(revocationFigures.line("DELETE returned -> revocation consumed"));
            System.out.println(Percentiles.of(sinceSent).line("DELETE sent -> revocation consumed"));
            System.out.printf("records consumed before the DELETE's answer reached the client: %d of %d%n",
                    beforeTheAnswer, keys);
            System.out.printf(java.util.Locale.ROOT, "ratio to baseline: p50 x%.2f, p99 x%.2f (target <= 1.2)%n",
                    revocationFigures.millis(50) / rawFigures.millis(50),
                    revocationFigures.millis(99) / rawFigures.millis(99));
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

    /** Nanoseconds to the record's consumption: after the DELETE's answer (0 if the record came first), after its send. */
    private record Latency(long sinceAnswered, long sinceSent) {
    }

    private static Latency revoke(String api, String token, String id, Map<String, Long> consumedAt) throws Exception {
        long sentAt = System.nanoTime();
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/" + id))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        long returnedAt = System.nanoTime();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("delete answered " + response.statusCode());
        }
        awaitAll(consumedAt, Set.of(id));
        long consumed = consumedAt.get(id);
        return new Latency(Math.max(0, consumed - returnedAt), consumed - sentAt);
    }

    static void awaitAll(Map<String, Long> consumed, Set<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!consumed.keySet().containsAll(keys)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not every record arrived within 2 minutes");
            }
            // polling a map the consumer thread fills; parked briefly, not spinning: the stack shares the cores
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }
}
