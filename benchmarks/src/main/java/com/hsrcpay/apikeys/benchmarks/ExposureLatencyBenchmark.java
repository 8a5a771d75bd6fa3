package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.testsupport.FakeGitHub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Exposure latency on the local stack: from GitHub's signed secret scanning report being answered to a consumer of
 * {@code api-key-revocations} holding the key's revocation (reason {@code exposed}), beside the ordinary revocation
 * (a DELETE returning, as {@link RevocationLatencyBenchmark} measures it) in the same run, the two interleaved key by
 * key so both see the same load. GitHub is played for real: a P-256 key pair and its public keys document on a local
 * HTTP server ({@code KMS_GITHUB_SECRET_SCANNING_KEYS_URL}), each report signed over its raw body.
 *
 * <pre>./mvnw -q -DskipTests package && java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.ExposureLatencyBenchmark [keys=600]</pre>
 */
public final class ExposureLatencyBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern KEY = Pattern.compile("\"key\":\"(sk_live_[0-9A-Za-z]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ExposureLatencyBenchmark() {
    }

    private record Key(String id, String secret) {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0].replace("keys=", "")) : 600;
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        try (FakeGitHub github = new FakeGitHub()) {
            FakeGitHub.SigningKey signing = github.publish(FakeGitHub.newSigningKey());
            System.out.printf("Starting the local stack from %s ...%n", jar);
            try (StackUnderTest stack = StackUnderTest.start(jar,
                    Map.of("KMS_GITHUB_SECRET_SCANNING_KEYS_URL", github.publicKeysUrl()))) {
                String api = "http://localhost:" + stack.apiPort;
                String kafka = "localhost:" + stack.kafkaPort;
                String token = stack.token();
                List<Key> created = new ArrayList<>(keys);
                for (int i = 0; i < keys; i++) {
                    created.add(createKey(api, token, i));
                }
                // a first report fetches GitHub's keys: done before measuring, as a running service has them
                report(api, signing, "sk_live_warmup");

                Map<String, Long> consumedAt = new ConcurrentHashMap<>();
                long[] deletedLatency = new long[keys / 2];
                long[] exposedLatency = new long[keys / 2];
                long[] returnedAt = new long[keys];
                try (TailingConsumer consumer = TailingConsumer
                        .start(kafka, KeyRevocation.TOPIC, r -> consumedAt.putIfAbsent(r.key(), System.nanoTime()))) {
                    for (int i = 0; i < 2 * (keys / 2); i++) {
                        Key key = created.get(i);
                        if (i % 2 == 0) {
                            delete(api, token, key.id());
                        } else {
                            report(api, signing, key.secret());
                        }
                        returnedAt[i] = System.nanoTime();
                    }
                    Set<String> ids = ConcurrentHashMap.newKeySet();
                    created.subList(0, 2 * (keys / 2)).forEach(k -> ids.add(k.id()));
                    RevocationLatencyBenchmark.awaitAll(consumedAt, ids);
                }
                for (int i = 0; i < 2 * (keys / 2); i++) {
                    long latency = Math.max(0, consumedAt.get(created.get(i).id()) - returnedAt[i]);
                    if (i % 2 == 0) {
                        deletedLatency[i / 2] = latency;
                    } else {
                        exposedLatency[i / 2] = latency;
                    }
                }
                Percentiles deleted = Percentiles.of(deletedLatency);
                Percentiles exposed = Percentiles.of(exposedLatency);
                System.out.println();
                System.out.println("Exposure latency, " + keys / 2 + " reports and " + keys / 2
                        + " deletions interleaved (" + Runtime.getRuntime().availableProcessors() + " cores):");
                System.out.println(deleted.line("baseline: DELETE returned -> revocation consumed"));
                System.out.println(exposed.line("GitHub report answered -> revocation consumed"));
                System.out.printf(Locale.ROOT, "ratio to baseline: p50 x%.2f, p95 x%.2f, p99 x%.2f (target p99 <= x1.5)%n",
                        exposed.millis(50) / deleted.millis(50), exposed.millis(95) / deleted.millis(95),
                        exposed.millis(99) / deleted.millis(99));
            }
        }
    }

    private static Key createKey(String api, String token, int i) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/?account_id=acct_dev"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"bench " + i + "\",\"permissions\":{\"account:api:key\":[\"read\"]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(response.body());
        Matcher key = KEY.matcher(response.body());
        if (response.statusCode() != 201 || !id.find() || !key.find()) {
            throw new IllegalStateException("create answered " + response.statusCode());
        }
        return new Key(id.group(1), key.group(1));
    }

    private static void delete(String api, String token, String id) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/" + id))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("delete answered " + response.statusCode());
        }
    }

    private static void report(String api, FakeGitHub.SigningKey signing, String secret) throws Exception {
        String body = FakeGitHub.report("hsrcpay_api_key", "https://github.com/bench/leak/blob/1/.env", secret);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/secret-scanning/github"))
                .header("Content-Type", "application/json")
                .header("Github-Public-Key-Identifier", signing.identifier())
                .header("Github-Public-Key-Signature", signing.sign(body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the GitHub report answered " + response.statusCode() + " " + response.body());
        }
    }
}
