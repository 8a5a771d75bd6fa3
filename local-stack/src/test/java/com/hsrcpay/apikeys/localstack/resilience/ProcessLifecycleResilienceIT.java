package com.hsrcpay.apikeys.localstack.resilience;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The local stack as a process of its own, killed and stopped while clients write: a crash (SIGKILL) mid-stream of
 * concurrent writes and a restart on the same data directory loses and duplicates nothing; a stop (SIGTERM) refuses
 * or fully answers every request, never accepts one and then cuts it. Issue 11, defect 4. The crash runs first, the
 * stop then ends the restarted process (either starts a process of its own when there is none).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessLifecycleResilienceIT {

    private static final Logger log = LoggerFactory.getLogger(ProcessLifecycleResilienceIT.class);

    @TempDir
    static Path dataDir;

    private static LocalStackProcess.Site site;
    private static LocalStackProcess stack;
    private static int starts;

    @BeforeAll
    static void site() {
        site = LocalStackProcess.Site.in(dataDir);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        LocalStackProcess.stopOrphanedPostgres(dataDir.resolve("postgres"));
    }

    private static LocalStackProcess runningStack() {
        if (stack == null || !stack.isAlive()) {
            stack = LocalStackProcess.start(site, "stack-" + (++starts) + ".log");
        }
        return stack;
    }

    @Test
    @Order(1)
    void aCrashMidStreamAndARestartOnTheSameDataLoseAndDuplicateNoAcknowledgedWrite() {
        LocalStackProcess first = runningStack();
        List<Outcome> outcomes;
        Merchant merchant;
        try (LoadGenerator api = LoadGenerator.onPort(first.apiPort())) {
            merchant = Merchant.named("crash", api);
            LoadGenerator.Loop writers = api.loop(8, Lifecycles.of(merchant));
            await("writes before the crash").atMost(Duration.ofSeconds(60))
                    .until(() -> Lifecycles.acknowledged(writers.outcomes()).size() >= 150);
            first.crash();
            outcomes = writers.stop();
        }
        List<Outcome> acknowledged = Lifecycles.acknowledged(outcomes);
        List<Outcome> unanswered = outcomes.stream().filter(o -> !o.answered()).toList();
        log.info("Crash: {} writes acknowledged, {} without an answer ({})", acknowledged.size(), unanswered.size(),
                unanswered.stream().collect(Collectors.groupingBy(Outcome::kind, Collectors.counting())));

        LocalStackProcess restarted = runningStack();
        SoftAssertions softly = new SoftAssertions();
        try (LoadGenerator api = LoadGenerator.onPort(restarted.apiPort());
             LoadGenerator queryService = LoadGenerator.onPort(restarted.queryPort())) {
            Merchant again = merchant.via(api);
            // a client retries each create that got no answer, with its Idempotency-Key and body
            Set<Integer> retriedTurns = new TreeSet<>();
            for (Outcome lost : unanswered) {
                if (Lifecycles.write(lost).equals("create")) {
                    int turn = Lifecycles.turn(lost);
                    retriedTurns.add(turn);
                    Outcome retried = Lifecycles.createOf(again, turn).send();
                    softly.assertThat(retried.status()).as("retry of create #%d after the restart: %s", turn, retried)
                            .isEqualTo(201);
                }
            }
            Ledger ledger = new Ledger(restarted.site().jdbc());
            Lifecycles.assertAcknowledgedStoredOnce(softly, ledger, merchant, outcomes);
            long createsAnswered = outcomes.stream().filter(o -> Lifecycles.write(o).equals("create")
                    && o.status() == 201).count();
            List<String> keys = ledger.keysCreatedFor(merchant.account);
            log.info("After the restart: {} keys stored for {} creates answered before the crash and {} retried",
                    keys.size(), createsAnswered, retriedTurns.size());
            softly.assertThat((long) keys.size()).as("one key per Idempotency-Key: answered plus retried creates")
                    .isEqualTo(createsAnswered + retriedTurns.size());

            Map<String, List<String>> stored = ledger.eventIdsPerKey(keys);
            Map<String, List<String>> published = Ledger.kafkaEventIdsPerKey(site.bootstrapServers(), stored);
            List<String> differing = new ArrayList<>();
            stored.forEach((key, events) -> {
                if (!events.equals(published.get(key))) {
                    differing.add(key + ": store " + events.size() + ", Kafka "
                            + (published.get(key) == null ? 0 : published.get(key).size()));
                }
            });
            log.info("Kafka after the restart: {} keys, {} events; {} keys whose history differs", stored.size(),
                    stored.values().stream().mapToInt(List::size).sum(), differing.size());
            softly.assertThat(differing).as("every key's history on Kafka, in order").isEmpty();
            softly.assertAll();
            ledger.assertReadModelEqualsReplay(queryService);
        }
    }

    @Test
    @Order(2)
    void aStopSignalNeverCutsARequestItAcceptedAndRequestsSentRightAfterItAreRefusedOrAnsweredInFull()
            throws Exception {
        LocalStackProcess running = runningStack();
        Merchant merchant;
        String slowKey;
        try (LoadGenerator api = LoadGenerator.onPort(running.apiPort())) {
            merchant = Merchant.named("shutdown", api);
            slowKey = merchant.createKey("Read while stopping", false).data("id");
        }
        String token = merchant.token;
        List<RawHttp.Result> results = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stopping = new AtomicBoolean();
        long[] signalAt = {Long.MAX_VALUE};
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<Future<?>> clientTasks = new ArrayList<>();
        // eight clients hammer a cheap read; four hold a read that waits (2 s) for a version that never comes
        for (int i = 0; i < 12; i++) {
            boolean slow = i >= 8;
            clientTasks.add(clients.submit(() -> {
                while (!stopping.get() || System.nanoTime() - signalAt[0] < 2_000_000_000L) {
                    RawHttp.Result result = slow
                            ? rawSlowRead(running.apiPort(), slowKey, token)
                            : RawHttp.get(running.apiPort(), "/v1/whoami", token, 10_000);
                    results.add(result);
                    if (result.fate() == RawHttp.Fate.REFUSED && stopping.get()) {
                        return; // the port is closed: nothing more to learn from this client
                    }
                }
            }));
        }
        await("clients hammering").atMost(Duration.ofSeconds(30)).until(() -> results.size() >= 200);
        signalAt[0] = System.nanoTime();
        stopping.set(true);
        running.terminate();
        for (Future<?> client : clientTasks) {
            client.get(30, TimeUnit.SECONDS);
        }
        clients.shutdownNow();
        int exit = running.awaitExit(Duration.ofSeconds(60));
        long signal = signalAt[0];

        List<RawHttp.Result> all = List.copyOf(results);
        List<RawHttp.Result> inFlight = all.stream()
                .filter(r -> r.sentAtNanos() < signal && r.sentAtNanos() + r.latencyNanos() > signal).toList();
        List<RawHttp.Result> justAfter = all.stream().filter(r -> r.sentAtNanos() >= signal
                && r.sentAtNanos() < signal + Bounds.AFTER_STOP_SIGNAL.toNanos()).toList();
        List<RawHttp.Result> later = all.stream()
                .filter(r -> r.sentAtNanos() >= signal + Bounds.AFTER_STOP_SIGNAL.toNanos()).toList();
        log.info("Stop signal: exit code {}; {} requests in all", exit, all.size());
        log.info("In flight at the signal: {}", fates(inFlight));
        log.info("Sent in the {} ms after the signal: {}", Bounds.AFTER_STOP_SIGNAL.toMillis(), fates(justAfter));
        log.info("Sent later: {}", fates(later));
        all.stream().filter(r -> r.fate() == RawHttp.Fate.CUT).limit(5).forEach(r -> log.info(
                "Cut: sent {} ms after the signal, after {} ms: {}", (r.sentAtNanos() - signal) / 1_000_000,
                r.latencyNanos() / 1_000_000, r.detail()));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(justAfter).as("requests sent in the %s after the stop signal", Bounds.AFTER_STOP_SIGNAL)
                .isNotEmpty();
        softly.assertThat(fates(justAfter)).as("sent in the %s after the stop signal: refused or answered in full",
                Bounds.AFTER_STOP_SIGNAL).doesNotContainKey(RawHttp.Fate.CUT);
        softly.assertThat(fates(inFlight)).as("in flight at the stop signal: answered in full")
                .containsOnlyKeys(RawHttp.Fate.ANSWERED);
        softly.assertThat(fates(later)).as("sent later: refused or answered in full")
                .doesNotContainKey(RawHttp.Fate.CUT);
        softly.assertAll();
    }

    private static RawHttp.Result rawSlowRead(int port, String keyId, String token) {
        return RawHttp.get(port, "/v1/api-keys/" + keyId, token, "X-Consistency-Token: " + keyId + ":99\r\n", 10_000);
    }

    private static Map<RawHttp.Fate, Long> fates(List<RawHttp.Result> results) {
        return results.stream().collect(Collectors.groupingBy(RawHttp.Result::fate, Collectors.counting()));
    }
}
