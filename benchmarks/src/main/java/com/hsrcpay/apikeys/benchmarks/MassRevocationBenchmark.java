package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 17's mass revocation: N keys (10,000) deleted by 8 connections through the API port (wrk), of one credential
 * or of {@code clients} credentials of the same account taken in turn (the gateway gives each credential three write
 * turns, so one credential measures its queue and eight measure the write path), measured from outside: from the first DELETE sent to the last revocation held by a consumer of
 * {@code api-key-revocations}. Target: all within 5 s (>= 2,000 revocations/s end to end). Beside it, the time wrk
 * took to have every DELETE answered, so the note can tell the write path from the publishing path. During the mass
 * revocation a probe measures, turn about, another client's single revocation (its DELETE returned -> its record
 * consumed) and a raw Kafka round trip on the same broker (issue 17: revocation p99 within x1.2 of raw Kafka p99, also
 * under this load).
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.MassRevocationBenchmark [keys=10000] [connections=8] [clients=1]</pre>
 */
public final class MassRevocationBenchmark {

    private static final String READ_KEY = "{\"name\":\"doomed\",\"permissions\":{\"account:api:key\":[\"read\"]}}";
    /** Keys of the probe: more than it revokes in any run (one pair every 20 ms or so). */
    private static final int PROBES = 2_000;

    private MassRevocationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0].replace("keys=", "")) : 10_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1].replace("connections=", "")) : 8;
        int clients = args.length > 2 ? Integer.parseInt(args[2].replace("clients=", "")) : 1;
        Wrk.requireInstalled();
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String token = stack.token();
            String api = "http://localhost:" + stack.apiPort;
            String command = "http://localhost:" + stack.commandServicePort;
            System.out.printf("Creating %,d keys ...%n", keys);
            long creating = System.nanoTime();
            List<String> ids = BenchmarkKeys.createMany(command, token, READ_KEY, keys);
            System.out.printf(Locale.ROOT, "  created in %.1f s%n", (System.nanoTime() - creating) / 1e9);
            List<String> probeIds = BenchmarkKeys.createMany(command, token, READ_KEY, PROBES);
            Thread.sleep(5_000); // the creates' own records published before the revocations start

            Map<String, Long> revokedAt = new ConcurrentHashMap<>();
            Map<String, Long> probeRevokedAt = new ConcurrentHashMap<>();
            Set<String> doomed = Set.copyOf(ids);
            Set<String> probed = Set.copyOf(probeIds);
            try (TailingConsumer consumer = TailingConsumer.start("localhost:" + stack.kafkaPort, KeyRevocation.TOPIC,
                    record -> {
                        if (doomed.contains(record.key())) {
                            revokedAt.putIfAbsent(record.key(), epochNanos());
                        } else if (probed.contains(record.key())) {
                            probeRevokedAt.putIfAbsent(record.key(), System.nanoTime());
                        }
                    });
                 KafkaRoundTrip roundTrip = new KafkaRoundTrip("localhost:" + stack.kafkaPort)) {
                Path doneDir = Files.createTempDirectory("bench-done-");
                List<String> tokens = stack.clientTokens(clients + 1);
                List<String> credentials = clients == 1 ? List.of(token) : tokens.subList(0, clients);
                Path script = deleteAllThenStop(credentials, ids, doneDir);
                long firstDelete = epochNanos();
                Wrk.Background wrk = Wrk.start(api, script, 2, connections, 600);
                Probe probe = Probe.start(api, tokens.get(clients), probeIds, probeRevokedAt, roundTrip,
                        () -> revokedAt.size() >= keys);
                awaitRevocations(revokedAt, keys, Duration.ofMinutes(10));
                String summary = wrk.interrupt();
                Probe.Figures during = probe.stop();
                long wrkLast = revokedAt.values().stream().mapToLong(Long::longValue).max().orElse(epochNanos());
                int fromWrk = revokedAt.size();
                // a DELETE whose answer wrk lost (a socket error) may not have been applied: sent again, and counted
                List<String> missing = ids.stream().filter(id -> !revokedAt.containsKey(id)).toList();
                for (String id : missing) {
                    BenchmarkKeys.delete(command, token, id);
                }
                awaitRevocations(revokedAt, keys, Duration.ofMinutes(1));
                List<Done> threads = done(doneDir);
                long last = revokedAt.values().stream().mapToLong(Long::longValue).max().orElse(epochNanos());
                double total = (last - firstDelete) / 1e9;
                System.out.println();
                System.out.printf(Locale.ROOT, "Mass revocation, %,d keys, %d connections of %s through "
                        + "the API port, %d cores:%n", keys, connections,
                        clients == 1 ? "one credential" : clients + " credentials (one account) in turn",
                        Runtime.getRuntime().availableProcessors());
                if (threads.size() == 2) {
                    long answered = threads.stream().mapToLong(Done::epochNanos).max().orElseThrow();
                    System.out.printf(Locale.ROOT, "  every DELETE answered after            %6.2f s  (%,.0f DELETE/s;"
                            + " %,d refused)%n", (answered - firstDelete) / 1e9,
                            keys / ((answered - firstDelete) / 1e9), threads.stream().mapToLong(Done::refused).sum());
                } else {
                    System.out.println("  not every DELETE was answered (wrk gave up on some after 30 s); wrk said:");
                }
                System.out.printf(Locale.ROOT, "  every revocation on Kafka after        %6.2f s  (%,.0f revocations/s "
                        + "end to end; %,d of %,d arrived)%n", total, revokedAt.size() / total, revokedAt.size(), keys);
                System.out.printf(Locale.ROOT, "  target: within 5 s (x%.2f of it)%n", total / 5.0);
                if (!missing.isEmpty()) {
                    System.out.printf(Locale.ROOT, "  %,d DELETEs were lost by wrk (socket errors) and sent again "
                            + "afterwards, which the time above includes; the %,d revocations of wrk's own DELETEs "
                            + "were on Kafka after %.2f s%n", missing.size(), fromWrk, (wrkLast - firstDelete) / 1e9);
                }
                System.out.printf(Locale.ROOT, "During it, %d revocations of another client, each beside a raw Kafka "
                        + "round trip:%n", during.revocations().count());
                System.out.println(during.raw().line("  baseline: Kafka send -> consumed (raw)"));
                System.out.println(during.revocations().line("  DELETE returned -> revocation consumed"));
                System.out.printf(Locale.ROOT, "  ratio p99 x%.2f (target <= 1.2), p50 x%.2f%n",
                        during.revocations().millis(99) / during.raw().millis(99),
                        during.revocations().millis(50) / during.raw().millis(50));
                System.out.println("wrk's own summary (DELETEs, then the whoami it sends when its share is done):");
                System.out.println(summary.lines().filter(line -> line.contains("Latency") || line.contains("%")
                        || line.contains("requests in") || line.contains("Socket errors") || line.contains("Non-2xx"))
                        .map(line -> "  " + line.trim()).collect(java.util.stream.Collectors.joining("\n")));
            }
        }
    }

    /**
     * Until every key's revocation arrived, or, once some arrived, nothing more for 10 s (the rest will not come by
     * itself).
     */
    private static void awaitRevocations(Map<String, Long> revokedAt, int keys, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        int seen = -1;
        long lastArrival = System.nanoTime();
        while (revokedAt.size() < keys && System.nanoTime() < deadline) {
            if (revokedAt.size() != seen) {
                seen = revokedAt.size();
                lastArrival = System.nanoTime();
            } else if (seen > 0 && System.nanoTime() - lastArrival > 10_000_000_000L) {
                return;
            }
            Thread.sleep(5); // the consumer thread fills the map
        }
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** What a wrk thread wrote when its last DELETE was answered: when, and how many of its DELETEs were refused. */
    private record Done(long epochNanos, long refused) {
    }

    private static List<Done> done(Path doneDir) throws IOException {
        try (var files = Files.list(doneDir)) {
            return files.map(file -> {
                try {
                    String[] fields = Files.readString(file).trim().split(" ");
                    return fields.length == 2 ? new Done(Long.parseLong(fields[0]), Long.parseLong(fields[1])) : null;
                } catch (IOException | NumberFormatException e) {
                    return null; // written as it is read: counted at the next look
                }
            }).filter(java.util.Objects::nonNull).toList();
        }
    }

    /**
     * Each wrk thread deletes its share of the ids, then asks for whoami (harmless) until every one of its deletes
     * is answered, writes the time and how many were refused to a file of its own, and stops.
     */
    private static Path deleteAllThenStop(List<String> tokens, List<String> ids, Path doneDir) throws IOException {
        Path tokenFile = Files.createTempFile("bench-tokens-", ".txt");
        Files.write(tokenFile, tokens);
        tokenFile.toFile().deleteOnExit();
        Path idFile = Files.createTempFile("bench-doomed-", ".txt");
        Files.write(idFile, ids);
        idFile.toFile().deleteOnExit();
        return Wrk.luaFile("""
                local threads = 0
                function setup(thread)
                  thread:set("tid", threads)
                  threads = threads + 1
                end
                function init(args)
                  ids = {}
                  local n = 0
                  for line in io.lines("%s") do
                    if n %% 2 == tid then table.insert(ids, line) end
                    n = n + 1
                  end
                  sent = 0
                  answered = 0
                  refused = 0
                  -- one header set per credential; wrk.format takes a request's headers whole (Host included)
                  credentials = {}
                  for line in io.lines("%s") do
                    local h = {}
                    for name, value in pairs(wrk.headers) do h[name] = value end
                    h["Authorization"] = "Bearer " .. line
                    table.insert(credentials, h)
                  end
                end
                function request()
                  if sent < #ids then
                    sent = sent + 1
                    return wrk.format("DELETE", "/v1/api-keys/" .. ids[sent], credentials[(sent %% #credentials) + 1])
                  end
                  return wrk.format("GET", "/v1/whoami", credentials[1])
                end
                function response(status, headers, body)
                  -- whoami answers name the caller's credential; every other answer is a DELETE's
                  if not string.find(body, '"credential":', 1, true) then
                    answered = answered + 1
                    if status ~= 200 then refused = refused + 1 end
                    if answered == #ids then
                      -- wall clock in ns, the clock the harness reads too (Lua's own has seconds only)
                      os.execute("echo $(date +%%s%%N) " .. refused .. " > %s/done-" .. tid)
                      wrk.thread:stop()
                    end
                  end
                end
                """.formatted(idFile, tokenFile, doneDir));
    }

    /**
     * Another client's revocations during the mass revocation, one at a time, each followed by a raw Kafka round trip,
     * with a short pause between pairs so the probe adds little load of its own.
     */
    private static final class Probe {

        record Figures(Percentiles revocations, Percentiles raw) {
        }

        private final Thread thread;
        private final List<Long> revocations = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final List<Long> raw = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private volatile boolean stopped;
        private volatile Exception failure;

        private Probe(String api, String token, List<String> ids, Map<String, Long> revokedAt, KafkaRoundTrip roundTrip,
                      java.util.function.BooleanSupplier done) {
            thread = new Thread(() -> {
                try {
                    for (String id : ids) {
                        if (stopped || done.getAsBoolean()) {
                            return;
                        }
                        BenchmarkKeys.delete(api, token, id);
                        long returnedAt = System.nanoTime();
                        Long consumedAt;
                        while ((consumedAt = revokedAt.get(id)) == null && !stopped) {
                            // the consumer thread fills the map; parked, not spinning: the stack shares the cores
                            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                        }
                        if (consumedAt != null) {
                            revocations.add(Math.max(0, consumedAt - returnedAt));
                        }
                        raw.add(roundTrip.once());
                        Thread.sleep(20); // the pause between pairs: a probe, not a second load
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure = e;
                }
            }, "mass-revocation-probe");
        }

        static Probe start(String api, String token, List<String> ids, Map<String, Long> revokedAt,
                           KafkaRoundTrip roundTrip, java.util.function.BooleanSupplier done) {
            Probe probe = new Probe(api, token, ids, revokedAt, roundTrip, done);
            probe.thread.start();
            return probe;
        }

        Figures stop() throws InterruptedException {
            stopped = true;
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("The probe failed", failure);
            }
            return new Figures(Percentiles.of(revocations.stream().mapToLong(Long::longValue).toArray()),
                    Percentiles.of(raw.stream().mapToLong(Long::longValue).toArray()));
        }
    }
}
