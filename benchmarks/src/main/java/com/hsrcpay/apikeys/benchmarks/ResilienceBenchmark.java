package com.hsrcpay.apikeys.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 11's two targets, each as a ratio to a baseline measured in the same run on the local stack (its jar, in a JVM
 * of its own, on a throw-away data directory):
 * <ol>
 *   <li>a bystander account's create, one client in a closed loop: p99 while another account storms 100 concurrent
 *       copies of one idempotent create again and again, against p99 without the storm (target at most 2x);</li>
 *   <li>verification of a cached key, one client in a closed loop: p99 while PostgreSQL is suspended (SIGSTOP to its
 *       postmaster and every backend), against p99 with it running (target at most 2x).</li>
 * </ol>
 * The load generator (JDK HttpClient) runs on the same 2 cores as the whole stack, as in production it would not.
 *
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.ResilienceBenchmark [seconds per phase, default 20]</pre>
 */
public final class ResilienceBenchmark {

    private static final int STORM = 100;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String token;
    private final String bystanderToken;
    private String cachedKey;

    private ResilienceBenchmark(int apiPort, String token, String bystanderToken) {
        this.api = URI.create("http://127.0.0.1:" + apiPort);
        this.token = token;
        this.bystanderToken = bystanderToken;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (StackUnderTest stack = StackUnderTest.start(Path.of("local-stack/target/local-stack.jar"))) {
            String secret = Files.readString(stack.dataDir.resolve("jwt-hmac-secret")).trim();
            ResilienceBenchmark bench = new ResilienceBenchmark(stack.apiPort, stack.token(),
                    bystanderJwt(secret, "acct_bystander"));
            bench.warmUp();
            bench.retryStorm(Duration.ofSeconds(seconds));
            bench.databasePause(stack, Duration.ofSeconds(seconds));
        }
    }

    private void warmUp() throws Exception {
        for (int i = 0; i < 300; i++) {
            create("acct_dev", UUID.randomUUID().toString());
        }
    }

    private void retryStorm(Duration phase) throws Exception {
        Percentiles quiet = bystanderCreates(phase, null);
        ExecutorService stormers = Executors.newFixedThreadPool(STORM);
        AtomicBoolean storming = new AtomicBoolean(true);
        int[] rounds = {0};
        // what the storming copies got: 201 (replayed) and, from the gateway, 429 for copies without a turn
        Map<Integer, LongAdder> stormAnswers = new ConcurrentSkipListMap<>();
        Thread storm = new Thread(() -> {
            while (storming.get()) {
                String idempotencyKey = "storm-" + UUID.randomUUID();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> copies = new ArrayList<>();
                for (int i = 0; i < STORM; i++) {
                    copies.add(stormers.submit(() -> {
                        go.await();
                        int status = create("acct_dev", idempotencyKey);
                        stormAnswers.computeIfAbsent(status, any -> new LongAdder()).increment();
                        return status;
                    }));
                }
                go.countDown();
                for (Future<?> copy : copies) {
                    try {
                        copy.get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("a storm copy failed", e);
                    }
                }
                rounds[0]++;
            }
        }, "storm");
        storm.start();
        Percentiles stormy;
        try {
            stormy = bystanderCreates(phase, storm);
        } finally {
            storming.set(false);
            storm.join();
            stormers.shutdownNow();
        }
        System.out.println(quiet.line("bystander create, no storm"));
        System.out.println(stormy.line("bystander create, " + rounds[0] + " storms of " + STORM));
        System.out.println("storm copies answered, by status: " + stormAnswers);
        System.out.printf(Locale.ROOT, "retry storm: bystander p99 ratio %.2f (target <= 2.00)%n",
                stormy.millis(99) / quiet.millis(99));
    }

    /** The bystander (another account, its own Idempotency-Keys) creating keys one after the other. */
    private Percentiles bystanderCreates(Duration phase, Thread storm) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() < end && (storm == null || storm.isAlive())) {
            long started = System.nanoTime();
            int status = create("acct_bystander", UUID.randomUUID().toString());
            nanos.add(System.nanoTime() - started);
            if (status != 201) {
                throw new IllegalStateException("a bystander create answered " + status);
            }
        }
        return Percentiles.of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    private void databasePause(StackUnderTest stack, Duration phase) throws Exception {
        cachedKey = createdKey();
        // lookups are not cached within 2 s of a change of the key: verify until the answers come from the cache
        long settle = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < settle) {
            verify();
        }
        Percentiles running = verifications(phase);
        Suspension suspension = Suspension.of(stack.dataDir.resolve("postgres"));
        Percentiles paused;
        try {
            paused = verifications(phase);
        } finally {
            suspension.resume();
        }
        System.out.println(running.line("cached verify, database running"));
        System.out.println(paused.line("cached verify, database suspended"));
        System.out.printf(Locale.ROOT, "database pause: cached verification p99 ratio %.2f (target <= 2.00)%n",
                paused.millis(99) / running.millis(99));
    }

    private Percentiles verifications(Duration phase) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            String answer = verify();
            nanos.add(System.nanoTime() - started);
            if (!answer.contains("\"VALID\"")) {
                throw new IllegalStateException("a cached verification answered " + answer);
            }
        }
        return Percentiles.of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    private String createdKey() throws Exception {
        HttpResponse<String> created = client.send(createRequest("acct_dev", UUID.randomUUID().toString()),
                HttpResponse.BodyHandlers.ofString());
        Matcher plaintext = Pattern.compile("\"key\":\"(sk_live_[^\"]+)\"")
                .matcher(created.body());
        if (!plaintext.find()) {
            throw new IllegalStateException("no key in " + created.body());
        }
        return plaintext.group(1);
    }

    private String verify() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/v1/keys/verify"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + cachedKey + "\"}")).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private int create(String account, String idempotencyKey) throws IOException, InterruptedException {
        return client.send(createRequest(account, idempotencyKey), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpRequest createRequest(String account, String idempotencyKey) {
        String bearer = account.equals("acct_dev") ? token : bystanderToken;
        return HttpRequest.newBuilder(api.resolve("/v1/api-keys/?account_id=" + account))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Bench\",\"permissions\":{\"account:api:key\":[\"read\"]}}")).build();
    }

    /** A JWT for another account than the dev token's, signed with the local stack's own secret. */
    private static String bystanderJwt(String hmacSecret, String account) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("bystander")
                .claim("account_id", account)
                .claim("permissions", List.of("account:api:key:create", "account:api:key:read"))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** SIGSTOP to the postmaster of a data directory and all its children; SIGCONT on resume. */
    private record Suspension(List<Long> pids) {

        static Suspension of(Path pgData) throws IOException, InterruptedException {
            long postmaster = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
            List<Long> all = new ArrayList<>(List.of(postmaster));
            signal("STOP", all); // first, so it forks no new backend meanwhile
            ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> all.add(p.pid()));
            signal("STOP", all);
            return new Suspension(all);
        }

        void resume() throws IOException, InterruptedException {
            signal("CONT", pids);
        }

        private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
            pids.forEach(pid -> command.add(Long.toString(pid)));
            if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed for " + pids);
            }
        }
    }
}
