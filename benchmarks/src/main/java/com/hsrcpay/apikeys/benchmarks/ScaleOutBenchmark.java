package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.embedded.DurablePostgres;
import com.hsrcpay.apikeys.embedded.InProcessKafka;
import com.hsrcpay.apikeys.embedded.Ports;
import com.hsrcpay.apikeys.eventstore.StoredEventWriter;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale-out simulated on one box (issue 17): query-service instances as JVMs of their own (the service's executable
 * jar), each pinned to one core with {@code taskset}, against one shared PostgreSQL and one shared Kafka broker;
 * one pinned instance, then two, in the same run.
 * <ol>
 * <li>Projection: the key-list projection catching up from zero over a store pre-filled with N events in the stored
 * form ({@link ReplayBenchmark#generate}), the other processors parked at the head
 * ({@link ReplayBenchmark#replayFromZero}); events/s from every instance ready until the slowest of key-list's
 * segments in {@code read_model.token_entry} passes the head, and the same over the second half of the events (each
 * JVM's JIT warm-up mostly behind it). Two instances split the processor's two segments (the fair share of
 * {@code read_model.processor_instance}, see README "Several instances"); which instance held which segment, from
 * when, is printed. Each instance count starts from a byte-identical copy of the filled database
 * ({@code CREATE DATABASE … TEMPLATE}), so both project into an empty read model.</li>
 * <li>Verify: after the catch-up, {@code POST /v1/keys/verify} of a real secret key (created in the store, projected
 * with the rest) with a platform JWT; one wrk per instance (1 thread, the same connections and duration each),
 * all at once, their requests/s summed.</li>
 * </ol>
 * Each figure is printed per instance count and as the ratio 2 instances / 1 instance, with what every part of the
 * box spent in each phase, from {@code /proc}: each instance's JVM, PostgreSQL (the postmaster, its live backends and
 * the ones that ended, through the postmaster's {@code cutime}), this harness's JVM (the in-process broker, the
 * position poller) and the rest of the machine (wrk, the kernel's share of loopback networking, anything else
 * running), in cores (CPU seconds per second).
 *
 * <p>The harness's JVM and PostgreSQL are left unpinned by default: on a 2-core box every core is one an instance
 * is pinned to, and pinning the shared pieces to one of them would load that instance's core alone and make the two
 * instances unequal; unpinned, the scheduler spreads them over both and the printed CPU shares say what they took.
 * On a bigger box, {@code -Dbench.sharedCores=2-3} pins this JVM, PostgreSQL (the postmaster and its processes;
 * backends forked later inherit it) and wrk away from the instances' cores, {@code -Dbench.instanceCores=0,1}.
 * A JVM pinned to one core sees one processor (and picks its ergonomics for it, serial GC), as in a 1-CPU container.
 * Ports: free ones, or {@code -Dbench.firstPort=P} (PostgreSQL P, Kafka P+1, instances P+2, P+3).
 *
 * <pre>./mvnw -q -o -Dmaven.test.skip=true package -pl local-stack,benchmarks -am
 * java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.ScaleOutBenchmark [events=1000000] [seconds=10] [connections=16]</pre>
 */
public final class ScaleOutBenchmark {

    private static final String PROCESSOR = "key-list";
    private static final Pattern INDEX = Pattern.compile("\"index\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final long TICKS_PER_SECOND = 100; // USER_HZ of /proc, 100 on every Linux this runs on

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        int events = args.length > 0 ? Integer.parseInt(args[0].replace("events=", "")) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1].replace("seconds=", "")) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2].replace("connections=", "")) : 16;
        int keys = Math.max(1, events / ReplayBenchmark.EVENTS_PER_KEY);
        Wrk.requireInstalled();
        requireTaskset();
        Path jar = queryServiceJar();
        List<String> cores = List.of(System.getProperty("bench.instanceCores", "0,1").split(","));
        if (cores.size() != 2) {
            throw new IllegalArgumentException("-Dbench.instanceCores names the two instances' cores, e.g. 0,1");
        }
        String sharedCores = System.getProperty("bench.sharedCores");
        int firstPort = Integer.getInteger("bench.firstPort", 0);
        Path dir = Files.createTempDirectory("scale-out-bench");
        try (DurablePostgres postgres = DurablePostgres.start(dir, firstPort);
             InProcessKafka kafka = InProcessKafka.start(dir, firstPort == 0 ? 0 : firstPort + 1)) {
            long postmaster = postmasterPid(postgres);
            if (sharedCores != null) {
                pin(sharedCores, ProcessHandle.current().pid());
                pin(sharedCores, postmaster);
                ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pinQuietly(sharedCores, p.pid()));
            }
            Path logs = Files.createTempDirectory("scale-out-logs"); // kept: small, and what to read when a run fails
            System.out.println("The instances' logs go to " + logs);
            Settings settings = new Settings(jar, postgres, kafka, logs, firstPort, sharedCores);

            // once on the empty store: the schemas migrated, every processor's token rows created
            System.out.printf("Migrating the empty store with one instance of %s ...%n", jar);
            try (Instances migrating = Instances.start(settings, DurablePostgres.DATABASE, List.of("all"))) {
                migrating.awaitReady();
            }
            long started = System.nanoTime();
            ReplayBenchmark.generate(postgres, keys);
            String secret = createVerifiedKey(postgres);
            long head = ReplayBenchmark.head(postgres);
            ReplayBenchmark.replayFromZero(postgres, PROCESSOR, head);
            System.out.printf(Locale.ROOT, "generated %,d events (%,d keys + the verified one) in %.1f s; head %d%n",
                    (long) keys * ReplayBenchmark.EVENTS_PER_KEY + 1, keys, (System.nanoTime() - started) / 1e9, head);

            String loadBefore = loadAverage();
            Map<Integer, Run> runs = new LinkedHashMap<>();
            for (int count = 1; count <= 2; count++) {
                String database = "scaleout_" + count;
                admin(postgres, "CREATE DATABASE " + database + " TEMPLATE " + DurablePostgres.DATABASE);
                try {
                    runs.put(count, measure(settings, database, cores.subList(0, count), head, keys + 1, secret,
                            seconds, connections, postmaster));
                } finally {
                    admin(postgres, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
            report(runs, head, seconds, connections, sharedCores);
            System.out.println("load average (1, 5, 15 min) before the runs " + loadBefore + ", after " + loadAverage()
                    + ": figures from a machine running other work are that work's as much as ours");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // Kafka's leftover non-daemon threads would keep the JVM alive
    }

    /** What starting an instance needs: the jar, the shared pieces, where logs go, ports, wrk's cores. */
    private record Settings(Path jar, DurablePostgres postgres, InProcessKafka kafka, Path logs, int firstPort,
                            String sharedCores) {
    }

    /** One instance count's figures. */
    private record Run(int instances, CatchUp catchUp, String segmentHolders, List<Wrk.Result> verify,
                       Cpu.Spent verifyCpu) {

        double verifyPerSecond() {
            return verify.stream().mapToDouble(Wrk.Result::requestsPerSecond).sum();
        }
    }

    private static Run measure(Settings settings, String database, List<String> cores, long head, long rows,
                               String secret, int seconds, int connections, long postmaster) throws Exception {
        System.out.printf("%n%d instance(s) on core(s) %s, database %s ...%n", cores.size(), String.join(",", cores),
                database);
        try (Instances instances = Instances.start(settings, database, cores)) {
            instances.awaitReady();
            Cpu cpu = new Cpu(instances.pids(), postmaster);
            CatchUp catchUp;
            try (Connection poller = DriverManager.getConnection(url(settings.postgres(), database),
                    settings.postgres().username(), settings.postgres().password())) { // one backend for all polls
                catchUp = catchUp(poller, cpu, cores.size(), head, settings.logs());
            }
            long projected = count(settings.postgres(), database, "SELECT count(*) FROM read_model.api_key");
            if (projected != rows) {
                throw new IllegalStateException("api_key has " + projected + " rows, expected " + rows);
            }
            System.out.printf(Locale.ROOT, "  key-list from %,d to %,d in %.1f s: %,.0f events/s (second half: %,.0f"
                            + " events/s)%n", catchUp.fromPosition(), head, catchUp.seconds(),
                    catchUp.eventsPerSecond(head), catchUp.eventsPerSecondSecondHalf(head));

            String token = TestJwts.forAccount("acct_platform").permissions("platform:api:key:verify").sign();
            String body = "{\"key\":\"" + secret + "\",\"permission\":\"account:api:key:read\"}";
            for (int port : instances.ports()) {
                checkValid(port, token, body);
            }
            Path script = Wrk.script("POST", token, body);
            // JIT warm-up as long as the measurement: a JVM on one core compiles on that core too
            instances.verify(script, connections, Math.max(5, seconds), settings.sharedCores());
            Cpu.Sample beforeVerify = cpu.sample();
            List<Wrk.Result> verify = instances.verify(script, connections, seconds, settings.sharedCores());
            Cpu.Spent verifyCpu = cpu.since(beforeVerify);
            for (int i = 0; i < verify.size(); i++) {
                System.out.println("  " + verify.get(i).line("verify, instance " + (i + 1) + " (core " + cores.get(i)
                        + ")"));
            }
            return new Run(cores.size(), catchUp, instances.holders(catchUp.owners()), verify, verifyCpu);
        }
    }

    /**
     * The catch-up as measured: from which position, how long, what the box spent; when every instance first held a
     * segment (the split; at once for one instance) and from which position; who held each segment, from when.
     */
    private record CatchUp(long fromPosition, double seconds, Cpu.Spent cpu, double splitAfter, long splitPosition,
                           double halfAfter, long halfPosition, Map<Integer, Map<Long, Double>> owners) {

        double eventsPerSecond(long head) {
            return (head - fromPosition) / seconds;
        }

        double eventsPerSecondAfterSplit(long head) {
            return (head - splitPosition) / (seconds - splitAfter);
        }

        /** The second half of the events: the JVMs' JIT warm-up (each instance pays its own) mostly behind. */
        double eventsPerSecondSecondHalf(long head) {
            return (head - halfPosition) / (seconds - halfAfter);
        }
    }

    /** From now (every instance ready) until key-list's slowest segment passes {@code head}, bounded. */
    private static CatchUp catchUp(Connection poller, Cpu cpu, int instances, long head, Path logs)
            throws Exception {
        long ready = System.nanoTime();
        Cpu.Sample atReady = cpu.sample();
        Positions positions = Positions.read(poller);
        long fromPosition = positions.lowest();
        Map<Integer, Map<Long, Double>> owners = new TreeMap<>(); // segment -> pid -> first seen, s after ready
        double splitAfter = -1;
        long splitPosition = 0;
        double halfAfter = -1;
        long halfPosition = 0;
        long deadline = ready + Duration.ofSeconds(120 + head / 500).toNanos(); // a floor of 500 events/s
        long lastReport = ready;
        while (true) {
            double now = (System.nanoTime() - ready) / 1e9;
            positions.owners().forEach((segment, pid) -> owners.computeIfAbsent(segment, s -> new LinkedHashMap<>())
                    .putIfAbsent(pid, now));
            if (splitAfter < 0 && Set.copyOf(positions.owners().values()).size() == instances) {
                splitAfter = now;
                splitPosition = positions.lowest();
            }
            if (halfAfter < 0 && positions.lowest() >= head / 2) {
                halfAfter = now;
                halfPosition = positions.lowest();
            }
            if (positions.lowest() >= head) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("key-list did not reach the head " + head + " in time; at "
                        + positions.lowest() + "; the instances' logs are in " + logs);
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  ... position %,d of %,d%n", positions.lowest(), head);
            }
            Thread.sleep(50); // polling the token table: the instances are other processes
            positions = Positions.read(poller);
        }
        double seconds = (System.nanoTime() - ready) / 1e9;
        if (splitAfter < 0) {
            throw new IllegalStateException("the " + instances + " instances never held a segment each: " + owners);
        }
        return new CatchUp(fromPosition, seconds, cpu.since(atReady), splitAfter, splitPosition, halfAfter,
                halfPosition, owners);
    }

    private static void report(Map<Integer, Run> runs, long head, int seconds, int connections, String sharedCores) {
        Run one = runs.get(1);
        Run two = runs.get(2);
        System.out.println();
        System.out.printf(Locale.ROOT, "Scale-out on one box: %,d events in the store, %d cores; instances pinned one per"
                + " core, PostgreSQL, broker and wrk %s%n", head, Runtime.getRuntime().availableProcessors(),
                sharedCores == null ? "unpinned" : "on cores " + sharedCores);
        System.out.printf(Locale.ROOT, "%-46s %16s %16s %10s%n", "", "1 instance", "2 instances", "ratio 2/1");
        row("key-list catch-up from all ready, events/s", one.catchUp().eventsPerSecond(head),
                two.catchUp().eventsPerSecond(head));
        row("  the same over the second half of the events", one.catchUp().eventsPerSecondSecondHalf(head),
                two.catchUp().eventsPerSecondSecondHalf(head));
        row("verify, summed over instances, req/s", one.verifyPerSecond(), two.verifyPerSecond());
        System.out.printf(Locale.ROOT, "%-46s %16s %16s%n", "  verify per instance, req/s", perInstance(one),
                perInstance(two));
        System.out.printf(Locale.ROOT, "%-46s %16s %16s%n", "  verify p99 per instance, ms", p99(one), p99(two));
        System.out.printf("(verify: wrk, 1 thread and %d connections per instance, all at once, %d s)%n", connections,
                seconds);
        for (Run run : runs.values()) {
            System.out.printf(Locale.ROOT, "%d instance(s): measured from position %,d for %.1f s, split after %.1f s"
                            + " (%,.0f events/s from there), half-way after %.1f s; %s%n", run.instances(),
                    run.catchUp().fromPosition(), run.catchUp().seconds(), run.catchUp().splitAfter(),
                    run.catchUp().eventsPerSecondAfterSplit(head), run.catchUp().halfAfter(), run.segmentHolders());
        }
        System.out.println();
        System.out.println("CPU in cores (CPU seconds per second of the phase), from /proc:");
        for (Run run : runs.values()) {
            System.out.println("  " + run.instances() + " instance(s), catch-up: " + run.catchUp().cpu().line());
            System.out.println("  " + run.instances() + " instance(s), verify:   " + run.verifyCpu().line());
        }
        System.out.printf(Locale.ROOT, "The instances' CPU (summed) per 1,000 events projected: %.1f ms (1 instance),"
                        + " %.1f ms (2); per 1,000 verifications: %.1f ms, %.1f ms%n",
                perThousand(one.catchUp().cpu().instancesCpuSeconds(), head - one.catchUp().fromPosition()),
                perThousand(two.catchUp().cpu().instancesCpuSeconds(), head - two.catchUp().fromPosition()),
                perThousand(one.verifyCpu().instancesCpuSeconds(), one.verifyPerSecond() * seconds),
                perThousand(two.verifyCpu().instancesCpuSeconds(), two.verifyPerSecond() * seconds));
        System.out.printf(Locale.ROOT, "PostgreSQL's CPU (all of it, its background work included) per 1,000 events"
                        + " projected: %.1f ms (1 instance), %.1f ms (2); per 1,000 verifications: %.1f ms, %.1f ms%n",
                perThousand(one.catchUp().cpu().postgresCpuSeconds(), head - one.catchUp().fromPosition()),
                perThousand(two.catchUp().cpu().postgresCpuSeconds(), head - two.catchUp().fromPosition()),
                perThousand(one.verifyCpu().postgresCpuSeconds(), one.verifyPerSecond() * seconds),
                perThousand(two.verifyCpu().postgresCpuSeconds(), two.verifyPerSecond() * seconds));
    }

    private static void row(String label, double one, double two) {
        System.out.printf(Locale.ROOT, "%-46s %,16.0f %,16.0f %10s%n", label, one, two,
                String.format(Locale.ROOT, "x%.2f", two / one));
    }

    private static double perThousand(double cpuSeconds, double count) {
        return 1_000 * 1_000 * cpuSeconds / count;
    }

    private static String perInstance(Run run) {
        return String.join(" + ", run.verify().stream()
                .map(r -> String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond())).toList());
    }

    private static String p99(Run run) {
        return String.join(" / ", run.verify().stream().map(r -> String.format(Locale.ROOT, "%.1f", r.p99Millis()))
                .toList());
    }

    /** The key the verify phase verifies: a real secret (its SHA-256 in the event), active, in the stored form. */
    private static String createVerifiedKey(DurablePostgres postgres) throws Exception {
        IssuedSecret secret = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom());
        try (Connection c = ReplayBenchmark.connect(postgres)) {
            try (StoredEventWriter writer = new StoredEventWriter(c, StoredEventWriter.storeSerializer())) {
                writer.append(new KeyCreated(KeyId.newId(), new AccountId("acct_bench_verify"), Mode.LIVE, null,
                        "verified key", KeyType.SECRET, Permissions.of(Map.of("account:api:key", List.of("read"))),
                        Map.of(), null, false, secret.fingerprint(), new Actor(Actor.Type.USER, "user_bench"),
                        Instant.now(), "req-verify"));
            }
            c.commit();
        }
        return secret.plaintext();
    }

    private static void checkValid(int port, String token, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/keys/verify"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"code\":\"VALID\"")) {
            throw new IllegalStateException("verify on port " + port + " answered " + answer.statusCode() + " "
                    + answer.body());
        }
    }

    /** key-list's segments as the instances committed them: position and owner (the instance's pid) per segment. */
    private record Positions(Map<Integer, Long> bySegment, Map<Integer, Long> owners) {

        static Positions read(Connection c) throws Exception {
            Map<Integer, Long> positions = new TreeMap<>();
            Map<Integer, Long> owners = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT segment, owner, convert_from(token, 'UTF8') FROM"
                         + " read_model.token_entry WHERE processor_name = '" + PROCESSOR + "'")) {
                while (r.next()) {
                    String token = r.getString(3);
                    Matcher index = token == null ? null : INDEX.matcher(token);
                    positions.put(r.getInt(1), index != null && index.find() ? Long.parseLong(index.group(1)) : 0);
                    String owner = r.getString(2); // pid@host/random (ProcessorInstances)
                    if (owner != null && owner.contains("@")) {
                        owners.put(r.getInt(1), Long.parseLong(owner.substring(0, owner.indexOf('@'))));
                    }
                }
            }
            return new Positions(positions, owners);
        }

        long lowest() {
            return bySegment.values().stream().mapToLong(Long::longValue).min().orElse(0);
        }
    }

    /** Query-service JVMs started from the executable jar, one per core given ("all": unpinned). */
    private static final class Instances implements AutoCloseable {

        private final List<Process> processes = new ArrayList<>();
        private final List<Integer> ports = new ArrayList<>();
        private final List<Path> logs = new ArrayList<>();

        static Instances start(Settings settings, String database, List<String> cores) throws IOException {
            Instances instances = new Instances();
            Runtime.getRuntime().addShutdownHook(new Thread(instances::stop, "stop-query-instances"));
            String signingKey = NoteSigner.generate("localhost/scale-out-benchmark");
            byte[] webhookKey = new byte[48];
            new SecureRandom().nextBytes(webhookKey);
            for (int i = 0; i < cores.size(); i++) {
                int port = Ports.freeOrRequested(settings.firstPort() == 0 ? 0 : settings.firstPort() + 2 + i,
                        "query-service instance " + (i + 1));
                List<String> command = new ArrayList<>();
                if (!"all".equals(cores.get(i))) {
                    command.addAll(List.of("taskset", "-c", cores.get(i)));
                }
                command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        settings.jar().toString(), "--logging.level.root=WARN"));
                for (String processor : processors(settings.postgres())) {
                    // claims within a third of a second, as TwoQueryInstancesIT: the instances split at once
                    command.add("--axon.eventhandling.processors." + processor + ".token-claim-interval=300");
                }
                Path log = settings.logs().resolve(database + "-instance-" + (i + 1) + ".log");
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                Map<String, String> env = builder.environment();
                env.keySet().removeIf(name -> name.startsWith("KMS_")); // nothing of the caller's shell decides
                env.put("KMS_DB_URL", url(settings.postgres(), database));
                env.put("KMS_DB_USER", settings.postgres().username());
                env.put("KMS_DB_PASSWORD", settings.postgres().password());
                env.put("KMS_KAFKA_BOOTSTRAP_SERVERS", settings.kafka().bootstrapServers());
                env.put("KMS_QUERY_PORT", Integer.toString(port));
                env.put("KMS_AUTH_JWT_HMAC_SECRET", TestJwts.HMAC_SECRET);
                env.put("KMS_TRANSPARENCY_SIGNING_KEY", signingKey); // one log, one key on every instance
                env.put("KMS_WEBHOOKS_SECRET_KEY", Base64.getUrlEncoder().withoutPadding().encodeToString(webhookKey));
                env.put("KMS_PROCESSING_HEARTBEAT_MS", "200");
                instances.processes.add(builder.start());
                instances.ports.add(port);
                instances.logs.add(log);
            }
            return instances;
        }

        /** Every instance's readiness (database, Kafka, every processor running) answers 200. */
        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            for (int i = 0; i < ports.size(); i++) {
                while (!ready(ports.get(i))) {
                    if (!processes.get(i).isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("query-service instance " + (i + 1) + " did not get ready;"
                                + " its log:\n" + Files.readString(logs.get(i)));
                    }
                    Thread.sleep(100); // the instance is another process: nothing to wait on but its answer
                }
            }
        }

        private static boolean ready(int port) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** One wrk per instance, all at once, the same duration; wrk on the shared cores when they are given. */
        List<Wrk.Result> verify(Path script, int connections, int seconds, String sharedCores) throws Exception {
            List<CompletableFuture<Wrk.Result>> runs = new ArrayList<>();
            for (int port : ports) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        // an instance on one core of a loaded box may answer later than wrk's default 2 s
                        return Wrk.run(sharedCores == null ? List.of() : List.of("taskset", "-c", sharedCores),
                                List.of("--timeout", "30s"), "http://localhost:" + port + "/v1/keys/verify", script,
                                1, connections, seconds, false);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }));
            }
            List<Wrk.Result> results = new ArrayList<>();
            for (CompletableFuture<Wrk.Result> run : runs) {
                results.add(run.get(seconds + 60L, TimeUnit.SECONDS));
            }
            return results;
        }

        List<Long> pids() {
            return processes.stream().map(Process::pid).toList();
        }

        List<Integer> ports() {
            return ports;
        }

        /** "segment 0: instance 1 (from 0.0 s), …": who held each segment, from when, from the owners' pids. */
        String holders(Map<Integer, Map<Long, Double>> owners) {
            List<String> segments = new ArrayList<>();
            List<Long> pids = pids();
            owners.forEach((segment, holders) -> {
                List<String> held = new ArrayList<>();
                holders.forEach((pid, from) -> held.add(String.format(Locale.ROOT, "instance %d from %.1f s",
                        pids.indexOf(pid) + 1, from)));
                segments.add("segment " + segment + ": " + String.join(", then ", held));
            });
            return String.join("; ", segments);
        }

        private void stop() {
            processes.forEach(Process::destroy); // SIGTERM: graceful, tokens committed, segments released
            for (Process process : processes) {
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** CPU time of the parts of the box, from /proc (utime + stime, in USER_HZ ticks). */
    private record Cpu(List<Long> instances, long postmaster) {

        record Sample(long nanos, List<Long> instances, long postgres, long harness, long machineBusy) {
        }

        /** One phase: CPU seconds per second of wall time of each part. */
        record Spent(double seconds, List<Double> instances, double postgres, double harness, double machine) {

            double postgresCpuSeconds() {
                return postgres * seconds;
            }

            double instancesCpuSeconds() {
                return instances.stream().mapToDouble(Double::doubleValue).sum() * seconds;
            }

            String line() {
                double rest = machine - instances.stream().mapToDouble(Double::doubleValue).sum() - postgres - harness;
                return String.format(Locale.ROOT, "instances %s, PostgreSQL %.2f, harness JVM (broker) %.2f,"
                                + " rest (wrk, kernel, others) %.2f; machine %.2f",
                        String.join(" + ", instances.stream().map(c -> String.format(Locale.ROOT, "%.2f", c)).toList()),
                        postgres, harness, rest, machine);
            }
        }

        Sample sample() throws IOException {
            List<Long> perInstance = new ArrayList<>();
            for (long pid : instances) {
                perInstance.add(ticks(pid, false));
            }
            // backends that ended were added to the postmaster's cutime/cstime when it reaped them
            long postgres = ticks(postmaster, true);
            for (ProcessHandle backend : ProcessHandle.of(postmaster).map(p -> p.children().toList())
                    .orElse(List.of())) {
                postgres += ticks(backend.pid(), false);
            }
            return new Sample(System.nanoTime(), perInstance, postgres, ticks(ProcessHandle.current().pid(), false),
                    machineBusy());
        }

        Spent since(Sample before) throws IOException {
            Sample now = sample();
            double seconds = (now.nanos() - before.nanos()) / 1e9;
            List<Double> perInstance = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                perInstance.add(cores(now.instances().get(i) - before.instances().get(i), seconds));
            }
            return new Spent(seconds, perInstance, cores(now.postgres() - before.postgres(), seconds),
                    cores(now.harness() - before.harness(), seconds),
                    cores(now.machineBusy() - before.machineBusy(), seconds));
        }

        private static double cores(long ticks, double seconds) {
            return ticks / (double) TICKS_PER_SECOND / seconds;
        }

        /** utime + stime (+ cutime + cstime: children reaped) of a process; 0 for one that is gone. */
        private static long ticks(long pid, boolean withReapedChildren) throws IOException {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (java.nio.file.NoSuchFileException e) {
                return 0;
            }
            // the command name in parentheses may hold spaces: the fields are counted after its closing one
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return withReapedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
        }

        /** The whole machine's busy ticks (user, nice, system, irq, softirq, steal) summed over its cores. */
        private static long machineBusy() throws IOException {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[field]);
            }
            return busy;
        }
    }

    private static List<String> processors(DurablePostgres postgres) {
        List<String> names = new ArrayList<>();
        try (Connection c = ReplayBenchmark.connect(postgres); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT DISTINCT processor_name FROM read_model.token_entry")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        } catch (Exception e) {
            return List.of(); // before the first start: no token table yet, the defaults will do
        }
        return names;
    }

    private static String loadAverage() throws IOException {
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return load[0] + " " + load[1] + " " + load[2];
    }

    private static String url(DurablePostgres postgres, String database) {
        return postgres.jdbcUrl().substring(0, postgres.jdbcUrl().lastIndexOf('/') + 1) + database;
    }

    private static long count(DurablePostgres postgres, String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(postgres, database), postgres.username(),
                postgres.password()); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void admin(DurablePostgres postgres, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(postgres, "postgres"), postgres.username(),
                postgres.password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long postmasterPid(DurablePostgres postgres) throws IOException {
        return Long.parseLong(Files.readAllLines(postgres.dataDirectory().resolve("postmaster.pid")).get(0).trim());
    }

    private static void pin(String cores, long pid) throws Exception {
        Process taskset = new ProcessBuilder("taskset", "-a", "-c", "-p", cores, Long.toString(pid))
                .redirectErrorStream(true).start();
        String out = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IllegalStateException("taskset could not pin " + pid + " to " + cores + ": " + out);
        }
    }

    private static void pinQuietly(String cores, long pid) {
        try {
            pin(cores, pid);
        } catch (Exception e) {
            // a backend that ended meanwhile: new ones inherit the postmaster's affinity anyway
        }
    }

    private static void requireTaskset() throws InterruptedException {
        try {
            new ProcessBuilder("taskset", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("This harness needs taskset (util-linux) on the PATH", e);
        }
    }

    /** query-service/target/query-service-*-exec.jar, or -DqueryServiceJar=. */
    private static Path queryServiceJar() throws IOException {
        String given = System.getProperty("queryServiceJar");
        if (given != null) {
            return Path.of(given);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("query-service/target"),
                "query-service-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // reported below
        }
        throw new IllegalStateException("No query-service/target/query-service-*-exec.jar: build it with ./mvnw -q -o"
                + " -Dmaven.test.skip=true package -pl local-stack,benchmarks -am (or pass -DqueryServiceJar=)");
    }
}
