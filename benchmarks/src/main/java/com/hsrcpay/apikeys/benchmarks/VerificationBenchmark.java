package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.revocation.RevocationList;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.verification.DeadSecret;
import com.hsrcpay.apikeys.verification.KeyLookup;
import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyVerifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key verification speed, each figure beside a baseline from the same run:
 * <ol>
 * <li>in process: cached {@link KeyVerifier#verify} ops/s beside the work no verification can skip (parsing the
 * key and hashing it);</li>
 * <li>over HTTP on the query service: {@code POST /v1/keys/verify} requests/s and p99 beside
 * {@code GET /v1/whoami}, a trivial authenticated endpoint of the same service, same client, same concurrency.</li>
 * </ol>
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.VerificationBenchmark [seconds=10] [connections=16]</pre>
 */
public final class VerificationBenchmark {

    private static final Pattern KEY = Pattern.compile("\"key\":\"(sk_live_[0-9A-Za-z]+)\"");

    private VerificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0].replace("seconds=", "")) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1].replace("connections=", "")) : 16;
        inProcess();
        overHttp(seconds, connections);
    }

    private static void inProcess() {
        IssuedSecret secret = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom());
        KeyRecord record = new KeyRecord(UUID.randomUUID(), "acct_bench", Mode.LIVE, KeyType.SECRET,
                Permissions.of(Map.of("account:api:key", List.of("read"))), KeyStatus.ACTIVE, false, null, null,
                secret.fingerprint().sha256());
        KeyLookup inMemory = new KeyLookup(null) {
            @Override
            public Optional<KeyRecord> bySecret(String sha256) {
                return sha256.equals(record.secretSha256()) ? Optional.of(record) : Optional.empty();
            }

            @Override
            public Optional<DeadSecret> deadSecret(String sha256) {
                return Optional.empty();
            }
        };
        KeyVerifier verifier = new KeyVerifier(inMemory, new RevocationList(), Clock.systemUTC(), 100_000,
                Duration.ofMinutes(5));
        String key = secret.plaintext();
        if (!verifier.verify(key, "account:api:key:read").valid()) {
            throw new IllegalStateException("the benchmark key does not verify");
        }
        double baseline = 0;
        double verify = 0;
        for (int round = 0; round < 3; round++) { // the first round warms the JIT; the last two count
            double b = opsPerSecond(() -> SecretFormat.parse(key).isPresent());
            double v = opsPerSecond(() -> verifier.verify(key, "account:api:key:read").valid());
            if (round > 0) {
                baseline += b / 2;
                verify += v / 2;
            }
        }
        System.out.println();
        System.out.println("Verification in process (cached key, one thread):");
        System.out.printf(Locale.ROOT, "  baseline: parse + checksum + SHA-256      %,12.0f ops/s  (%.2f µs/op)%n",
                baseline, 1e6 / baseline);
        System.out.printf(Locale.ROOT, "  KeyVerifier.verify (cache hit)           %,12.0f ops/s  (%.2f µs/op)%n",
                verify, 1e6 / verify);
        System.out.printf(Locale.ROOT, "  ratio to baseline: x%.2f of the baseline's throughput%n", verify / baseline);
    }

    private static double opsPerSecond(java.util.function.BooleanSupplier op) {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long ops = 0;
        long start = System.nanoTime();
        boolean sink = false;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000; i++) {
                sink ^= op.getAsBoolean();
            }
            ops += 1_000;
        }
        if (sink && ops < 0) {
            System.out.println("unreachable"); // keeps the results alive for the JIT
        }
        return ops / ((System.nanoTime() - start) / 1e9);
    }

    private static void overHttp(int seconds, int connections) throws Exception {
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("%nStarting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String token = stack.token();
            String api = "http://localhost:" + stack.apiPort;
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/?account_id=acct_dev"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"bench\",\"permissions\":{\"account:api:key\":[\"read\"]}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher matcher = KEY.matcher(created.body());
            if (created.statusCode() != 201 || !matcher.find()) {
                throw new IllegalStateException("could not create the benchmark key: " + created.statusCode());
            }
            String secret = matcher.group(1);
            String service = "http://localhost:" + stack.queryServicePort; // the service itself, not the gateway
            HttpRequest whoami = HttpRequest.newBuilder(URI.create(service + "/v1/whoami"))
                    .header("Authorization", "Bearer " + token).GET().build();
            HttpRequest verify = HttpRequest.newBuilder(URI.create(service + "/v1/keys/verify"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"key\":\"" + secret + "\",\"permission\":\"account:api:key:read\"}")).build();
            check(client, verify, "\"code\":\"VALID\"");
            check(client, whoami, "\"account_id\":\"acct_dev\"");

            load(client, whoami, connections, 3); // warm-up of both paths
            load(client, verify, connections, 3);
            Result trivial = load(client, whoami, connections, seconds);
            Result verified = load(client, verify, connections, seconds);
            System.out.println();
            System.out.printf("Verification over HTTP on the query service (%d connections, %d s each, %d cores):%n",
                    connections, seconds, Runtime.getRuntime().availableProcessors());
            System.out.println("  " + trivial.line("baseline: GET /v1/whoami"));
            System.out.println("  " + verified.line("POST /v1/keys/verify"));
            System.out.printf(Locale.ROOT, "  ratio to baseline: throughput %.0f%%, p99 x%.2f%n",
                    100 * verified.perSecond / trivial.perSecond,
                    verified.latencies.millis(99) / trivial.latencies.millis(99));
        }
    }

    private static void check(HttpClient client, HttpRequest request, String expected) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains(expected)) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + " " + response.body());
        }
    }

    /** Closed loop: each connection sends its next request when the previous answer arrived. */
    private static Result load(HttpClient client, HttpRequest request, int connections, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            futures.add(pool.submit(() -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
                    }
                    if (n == samples.length) {
                        samples = java.util.Arrays.copyOf(samples, n * 2);
                    }
                    samples[n++] = System.nanoTime() - start;
                }
                return java.util.Arrays.copyOf(samples, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> future : futures) {
            all.add(future.get());
        }
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new Result(merged.length / (double) seconds, Percentiles.of(merged));
    }

    private record Result(double perSecond, Percentiles latencies) {
        String line(String label) {
            return String.format(Locale.ROOT, "%-28s %,9.0f req/s  p50=%6.2f ms  p99=%6.2f ms", label, perSecond,
                    latencies.millis(50), latencies.millis(99));
        }
    }
}
