package com.hsrcpay.apikeys.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's HTTP target: {@code POST /v1/keys/verify} of a key with two rate limits and credits, beside the same
 * verification of a key without usage control, on the query service of the local-stack jar, in one run. The load
 * generator is wrk (C, event loop), not the JVM, so the service is what is measured
 * ({@code apt-get install -y wrk}); the two keys alternate over rounds so that drift of the machine hits both.
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.UsageControlHttpBenchmark [seconds=10] [connections=16] [rounds=2]</pre>
 */
public final class UsageControlHttpBenchmark {

    private static final Pattern KEY = Pattern.compile("\"key\":\"(sk_live_[0-9A-Za-z]+)\"");

    private UsageControlHttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0].replace("seconds=", "")) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1].replace("connections=", "")) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2].replace("rounds=", "")) : 2;
        Wrk.requireInstalled();
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String token = stack.token();
            String api = "http://localhost:" + stack.apiPort;
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String plain = createKey(client, api, token, "{\"name\":\"plain\",\"permissions\":{\"account:api:key\":"
                    + "[\"read\"]}}");
            String metered = createKey(client, api, token, "{\"name\":\"metered\",\"permissions\":{\"account:api:key\":"
                    + "[\"read\"]},\"ratelimits\":[{\"name\":\"per_second\",\"limit\":1000000000,\"duration_ms\":1000},"
                    + "{\"name\":\"per_day\",\"limit\":1000000000,\"duration_ms\":86400000}],"
                    + "\"credits\":{\"remaining\":1000000000000}}");
            String service = "http://localhost:" + stack.queryServicePort + "/v1/keys/verify";
            Path plainScript = Wrk.script("POST", token, "{\"key\":\"" + plain + "\"}");
            Path meteredScript = Wrk.script("POST", token, "{\"key\":\"" + metered + "\"}");
            check(client, service, token, plain, "\"code\":\"VALID\"");
            check(client, service, token, metered, "\"remaining\":");

            Wrk.run(service, plainScript, connections, 3); // warm-up of both paths
            Wrk.run(service, meteredScript, connections, 3);
            List<Wrk.Result> plainRuns = new ArrayList<>();
            List<Wrk.Result> meteredRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                plainRuns.add(Wrk.run(service, plainScript, connections, seconds));
                meteredRuns.add(Wrk.run(service, meteredScript, connections, seconds));
            }
            check(client, service, token, metered, "\"code\":\"VALID\"");
            double plainRate = plainRuns.stream().mapToDouble(Wrk.Result::requestsPerSecond).average().orElseThrow();
            double meteredRate = meteredRuns.stream().mapToDouble(Wrk.Result::requestsPerSecond).average().orElseThrow();
            double plainP99 = plainRuns.stream().mapToDouble(Wrk.Result::p99Millis).average().orElseThrow();
            double meteredP99 = meteredRuns.stream().mapToDouble(Wrk.Result::p99Millis).average().orElseThrow();
            System.out.println();
            System.out.printf("POST /v1/keys/verify on the query service, wrk, %d connections, %d x %d s, %d cores:%n",
                    connections, rounds, seconds, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "  baseline: key without usage control  %,9.0f req/s  p99=%6.2f ms%n",
                    plainRate, plainP99);
            System.out.printf(Locale.ROOT, "  key with 2 rate limits and credits   %,9.0f req/s  p99=%6.2f ms%n",
                    meteredRate, meteredP99);
            System.out.printf(Locale.ROOT, "  ratio: throughput x%.2f (target >= 0.85), p99 x%.2f%n",
                    meteredRate / plainRate, meteredP99 / plainP99);
        }
    }

    private static String createKey(HttpClient client, String api, String token, String body) throws Exception {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(api
                        + "/v1/api-keys/?account_id=acct_dev"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher matcher = KEY.matcher(created.body());
        if (created.statusCode() != 201 || !matcher.find()) {
            throw new IllegalStateException("could not create a benchmark key: " + created.statusCode() + " "
                    + created.body());
        }
        return matcher.group(1);
    }

    /** Verifies once (waiting for the key to reach the read side) and checks the answer holds {@code expected}. */
    private static void check(HttpClient client, String url, String token, String secret, String expected)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + secret + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            body = answer.body();
            if (answer.statusCode() == 200 && body.contains(expected) && body.contains("\"code\":\"VALID\"")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("the key did not verify as expected: " + body);
    }
}
