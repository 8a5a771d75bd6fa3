package com.hsrcpay.apikeys.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 17's HTTP figures in one run, each beside its baseline: the services' endpoints (verify, whoami, list, get on
 * the query service; create and delete on the command service) against each service's own liveness, the gateway
 * against the service behind it, and the load generator's own ceiling (wrk against a bare Tomcat answering "ok"),
 * which must be at least 3x the services' liveness, or the figures would measure wrk. Figures alternate over rounds
 * so drift of the machine hits every one; each is the mean of its rounds.
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.HttpThroughputBenchmark [seconds=5] [connections=16] [rounds=2]</pre>
 */
public final class HttpThroughputBenchmark {

    private static final String READ_KEY = "{\"name\":\"bench\",\"permissions\":{\"account:api:key\":[\"read\"]}}";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Deletes per second this box reaches at most, with margin: the harness creates that many keys per second of run. */
    private static final int DELETES_PER_SECOND_BOUND = 1_000;

    private HttpThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0].replace("seconds=", "")) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1].replace("connections=", "")) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2].replace("rounds=", "")) : 2;
        Wrk.requireInstalled();
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        Tomcat bare = bareTomcat();
        int barePort = bare.getConnector().getLocalPort();
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String token = stack.token();
            String api = "http://localhost:" + stack.apiPort;
            String query = "http://localhost:" + stack.queryServicePort;
            String command = "http://localhost:" + stack.commandServicePort;
            String secret = BenchmarkKeys.create(api, token, READ_KEY).plaintext();
            String someId = null;
            for (int i = 0; i < 20; i++) { // a list page of 20 keys
                someId = BenchmarkKeys.create(api, token, READ_KEY).id();
            }
            int perRun = DELETES_PER_SECOND_BOUND * seconds;
            int deletesNeeded = perRun * (rounds + 1);
            System.out.printf("Creating %,d keys to delete ...%n", deletesNeeded);
            List<String> doomed = BenchmarkKeys.createMany(command, token, READ_KEY, deletesNeeded);
            awaitVisible(query, token, someId);

            Path get = Wrk.script("GET", null, null);
            Path withToken = Wrk.script("GET", token, null);
            Path verify = Wrk.script("POST", token, "{\"key\":\"" + secret + "\"}");
            Path create = Wrk.script("POST", token, READ_KEY);
            Map<String, Target> targets = new LinkedHashMap<>();
            targets.put("bare", new Target("load generator ceiling: wrk -> bare Tomcat \"ok\"",
                    "http://localhost:" + barePort + "/", get));
            targets.put("qlive", new Target("query service: liveness", query + "/actuator/health/liveness", get));
            targets.put("whoami", new Target("query service: GET /v1/whoami", query + "/v1/whoami", withToken));
            targets.put("verify", new Target("query service: POST /v1/keys/verify", query + "/v1/keys/verify", verify));
            targets.put("list", new Target("query service: GET /v1/api-keys/ (20 keys)",
                    query + "/v1/api-keys/?account_id=acct_dev&limit=20", withToken));
            targets.put("get", new Target("query service: GET /v1/api-keys/{id}", query + "/v1/api-keys/" + someId,
                    withToken));
            targets.put("gwwhoami", new Target("API port (gateway): GET /v1/whoami", api + "/v1/whoami", withToken));
            targets.put("gwverify", new Target("API port (gateway): POST /v1/keys/verify", api + "/v1/keys/verify",
                    verify));
            targets.put("clive", new Target("command service: liveness", command + "/actuator/health/liveness", get));
            targets.put("create", new Target("command service: POST /v1/api-keys/",
                    command + "/v1/api-keys/?account_id=acct_dev", create));
            int[] deleted = {0};
            targets.put("delete", new Target("command service: DELETE /v1/api-keys/{id}", command, () -> {
                // every run deletes keys of its own: a second DELETE of a key is 404
                List<String> share = doomed.subList(deleted[0], deleted[0] + perRun);
                deleted[0] += perRun;
                return BenchmarkKeys.deleteScript(token, share);
            }));

            for (Target target : targets.values()) { // warm-up: every path compiled before anything counts
                Wrk.run(target.url, target.script.next(), 2, connections, Math.max(2, seconds / 2), false);
            }
            Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, Target> target : targets.entrySet()) {
                    results.computeIfAbsent(target.getKey(), k -> new ArrayList<>()).add(
                            Wrk.run(target.getValue().url, target.getValue().script.next(), 2, connections, seconds, false));
                }
            }
            Map<String, Double> rate = new LinkedHashMap<>();
            System.out.println();
            System.out.printf("wrk, 2 threads, %d connections, %d rounds x %d s, %d cores (wrk and the whole stack "
                    + "on them):%n", connections, rounds, seconds, Runtime.getRuntime().availableProcessors());
            for (Map.Entry<String, List<Wrk.Result>> figure : results.entrySet()) {
                List<Wrk.Result> runs = figure.getValue();
                double mean = runs.stream().mapToDouble(Wrk.Result::requestsPerSecond).average().orElseThrow();
                double p50 = runs.stream().mapToDouble(Wrk.Result::p50Millis).average().orElseThrow();
                double p99 = runs.stream().mapToDouble(Wrk.Result::p99Millis).average().orElseThrow();
                rate.put(figure.getKey(), mean);
                System.out.println(new Wrk.Result(mean, 0, 0, p50, p99).line("  " + targets.get(figure.getKey()).label));
            }
            System.out.println();
            System.out.println("Ratios (same run):");
            ratio("  load generator ceiling / query liveness (target >= 3)", rate, "bare", "qlive");
            ratio("  load generator ceiling / command liveness (target >= 3)", rate, "bare", "clive");
            ratio("  verify / query liveness (target >= 0.9)", rate, "verify", "qlive");
            ratio("  whoami / query liveness", rate, "whoami", "qlive");
            ratio("  list / query liveness", rate, "list", "qlive");
            ratio("  get / query liveness", rate, "get", "qlive");
            ratio("  gateway whoami / direct whoami (target >= 0.8)", rate, "gwwhoami", "whoami");
            ratio("  gateway verify / direct verify", rate, "gwverify", "verify");
            ratio("  create / command liveness", rate, "create", "clive");
            ratio("  delete / command liveness", rate, "delete", "clive");
        } finally {
            bare.stop();
            bare.destroy();
        }
    }

    private record Target(String label, String url, Script script) {

        Target(String label, String url, Path fixed) {
            this(label, url, () -> fixed);
        }
    }

    /** The wrk script of the next run. */
    private interface Script {
        Path next() throws IOException;
    }

    private static void ratio(String label, Map<String, Double> rate, String figure, String baseline) {
        System.out.printf(Locale.ROOT, "%-60s x%.2f%n", label, rate.get(figure) / rate.get(baseline));
    }

    /** The floor of every HTTP figure: Tomcat (what both services run on) and one servlet, nothing else. */
    private static Tomcat bareTomcat() throws LifecycleException, IOException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("bench-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.setContentLength(2);
                response.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        });
        context.addServletMappingDecoded("/", "ok");
        tomcat.start();
        return tomcat;
    }

    /** The read side has caught up with the setup's creates (the get figure must not measure 404s). */
    private static void awaitVisible(String query, String token, String id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(query + "/v1/api-keys/" + id))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(100); // the projection catches up on its own thread
        }
        throw new IllegalStateException("key " + id + " never reached the read side");
    }
}
