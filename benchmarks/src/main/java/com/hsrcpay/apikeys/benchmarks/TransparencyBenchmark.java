package com.hsrcpay.apikeys.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16's first two targets on the local-stack jar in a JVM of its own:
 * <ol>
 * <li>the transparency log's lag behind the event store during a mass revocation (every key deleted by 8 concurrent
 * clients): per deletion, its leaf's write time minus the event's time stamp, read from the database;</li>
 * <li>an inclusion proof ({@code GET /v1/api-keys/{id}/history/0/proof}) beside a plain {@code GET /v1/api-keys/{id}}
 * of the same key, interleaved, one client, on the API port.</li>
 * </ol>
 * Args: keys (500), requests of each kind (2000).
 */
public final class TransparencyBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern POSTGRES = Pattern.compile("PostgreSQL (jdbc:postgresql://[^ ,)]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TransparencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String api = "http://localhost:" + stack.apiPort;
            String token = stack.token();
            Matcher url = POSTGRES.matcher(Files.readString(stack.dataDir.resolve("stack.log")));
            if (!url.find()) {
                throw new IllegalStateException("no PostgreSQL URL in the stack's log");
            }
            String jdbc = url.group(1);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                ids.add(create(api, token, i));
            }
            proofs(api, token, jdbc, ids.subList(0, Math.min(50, ids.size())), requests);
            massRevocation(api, token, jdbc, ids);
        }
    }

    private static void proofs(String api, String token, String jdbc, List<String> ids, int requests) throws Exception {
        long events = count(jdbc, "SELECT count(*) FROM event_store.domain_event_entry");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(jdbc, "SELECT coalesce(max(tree_size), 0) FROM read_model.transparency_checkpoint") < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no checkpoint covers the keys within 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling the database for the first checkpoint
        }
        long[] plain = new long[requests];
        long[] proof = new long[requests];
        for (int i = -200; i < requests; i++) {
            String id = ids.get(Math.floorMod(i, ids.size()));
            long a = timed(api + "/v1/api-keys/" + id, token);
            long b = timed(api + "/v1/api-keys/" + id + "/history/0/proof", token);
            if (i >= 0) {
                plain[i] = a;
                proof[i] = b;
            }
        }
        Percentiles get = Percentiles.of(plain);
        Percentiles inclusion = Percentiles.of(proof);
        System.out.println(get.line("baseline: GET /v1/api-keys/{id}"));
        System.out.println(inclusion.line("GET .../history/0/proof"));
        System.out.printf(Locale.ROOT, "inclusion proof / plain GET: p50 x%.2f, p99 x%.2f (target <= x2)%n",
                inclusion.millis(50) / get.millis(50), inclusion.millis(99) / get.millis(99));
    }

    private static void massRevocation(String api, String token, String jdbc, List<String> ids) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<Future<?>> deletes = new ArrayList<>();
            for (String id : ids) {
                deletes.add(clients.submit(() -> {
                    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/" + id))
                            .header("Authorization", "Bearer " + token).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("delete answered " + response.statusCode());
                    }
                    return null;
                }));
            }
            for (Future<?> delete : deletes) {
                delete.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "mass revocation: %d deletions in %.2f s (%.0f/s, 8 clients)%n", ids.size(),
                seconds, ids.size() / seconds);
        long events = count(jdbc, "SELECT count(*) FROM event_store.domain_event_entry");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(jdbc, "SELECT count(*) FROM read_model.transparency_leaf") < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the log did not reach the store within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling the database until every event is a leaf
        }
        List<Long> lags = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT (extract(epoch FROM l.appended_at - e.time_stamp::timestamptz) * 1e9)::bigint
                     FROM read_model.transparency_leaf l
                     JOIN event_store.domain_event_entry e ON e.event_identifier = l.event_identifier
                     WHERE e.payload_type LIKE '%KeyDeleted'""")) {
            while (rows.next()) {
                lags.add(Math.max(0, rows.getLong(1)));
            }
        }
        Percentiles lag = Percentiles.of(lags.stream().mapToLong(Long::longValue).toArray());
        System.out.println(lag.line("log lag behind the store (deletions)"));
        System.out.printf(Locale.ROOT, "max lag %.0f ms (target <= 1000 ms)%n", lag.millis(100));
    }

    private static String create(String api, String token, int i) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/?account_id=acct_dev"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench " + i
                        + "\",\"permissions\":{\"account:api:key\":[\"read\"]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("create answered " + response.statusCode());
        }
        return id.group(1);
    }

    private static long timed(String url, String token) throws Exception {
        long started = System.nanoTime();
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding());
        long took = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return took;
    }

    private static long count(String jdbc, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
