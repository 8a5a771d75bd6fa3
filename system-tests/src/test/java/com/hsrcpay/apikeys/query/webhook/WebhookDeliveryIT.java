package com.hsrcpay.apikeys.query.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.query.webhook.application.DeliveryMetrics;
import com.hsrcpay.apikeys.query.webhook.application.HostResolver;
import com.hsrcpay.apikeys.query.webhook.application.WebhookClock;
import com.hsrcpay.apikeys.query.webhook.application.WebhookOutbox;
import com.hsrcpay.apikeys.query.webhook.model.RetrySchedule;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks end to end (issue 15) on the real services, database and broker, delivered to a real HTTP receiver on
 * loopback and verified with the Standard Webhooks library: every type once per change, signed, masked; filters,
 * accounts and modes kept apart; the retry schedule on an injected clock; a restart in the middle of it; 410; the
 * target rules at create and, after DNS, at send, on the addresses connected to (a name re-bound between the check and
 * the connection); one delivery per change whatever the outbox's batches; the retention of ended deliveries; the
 * sender's metrics.
 */
class WebhookDeliveryIT {

    private static final String SECRET_KEY = "webhook-master-key-of-the-tests-0123456789";
    private static final List<String> WEBHOOK_PERMISSIONS = List.of("account:webhook:endpoint:create",
            "account:webhook:endpoint:read", "account:webhook:endpoint:update", "account:webhook:endpoint:delete");
    private static final Map<String, List<String>> READ_ONLY = Map.of("account:api:key", List.of("read"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final TestClock clock = new TestClock();
    private static final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
    /** Names that answer differently on successive lookups: the head answer once, the last one from then on. */
    private static final Map<String, Deque<List<InetAddress>>> rebinding = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private static SystemUnderTest system;
    private static HttpApi writes;
    private static HttpApi reads;
    private static ConfigurableApplicationContext query;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
        system = SystemUnderTest.onFreshDatabase();
        writes = SystemUnderTest.api(system.startCommandService());
        startQuery();
    }

    private static void startQuery(String... extra) {
        List<String> args = new ArrayList<>(List.of("--kms.webhooks.allow-local-targets=true",
                "--kms.webhooks.secret-key=" + SECRET_KEY,
                // the retention job runs often and in small batches, so a purge of many rows takes several
                "--kms.webhooks.retention-interval=200ms", "--kms.webhooks.retention-batch-size=2"));
        args.addAll(List.of(extra));
        query = system.startQueryService(testBeans(), args.toArray(String[]::new));
        reads = SystemUnderTest.api(query);
    }

    /** The sender's clock and DNS are the test's: hours pass at once, a name resolves where the test says. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> testBeans() {
        HostResolver system = HostResolver.system();
        return context -> {
            context.getBeanFactory().registerSingleton("webhookClock", new WebhookClock(clock));
            context.getBeanFactory().registerSingleton("hostResolver", (HostResolver) host -> {
                lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                Deque<List<InetAddress>> answers = rebinding.get(host);
                if (answers != null) {
                    synchronized (answers) {
                        return answers.size() > 1 ? answers.poll() : answers.peek();
                    }
                }
                List<InetAddress> table = dns.get(host);
                return table != null ? table : system.resolve(host);
            });
        };
    }

    @AfterEach
    void backToNow() {
        clock.reset();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void everyChangeIsDeliveredOnceSignedWithTheKeyAfterItMaskedAndNoSecretAnywhere() throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/all-" + account;
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("*"));
        String secret = endpoint.get("secret").asText();
        List<String> plaintexts = new ArrayList<>();

        // managed key, expiring in a day: created and (less than 7 days left) expiring at once
        JsonNode managed = createKey(account, jwt, Map.of("name", "Backend", "permissions", READ_ONLY,
                "managed", true, "expires_at", Instant.now().plus(Duration.ofDays(1)).toString()), plaintexts);
        String managedId = managed.get("id").asText();
        // name and status in one patch: two events, one api_key.updated carrying both
        assertThat(writes.patch("/v1/api-keys/" + managedId).bearer(jwt)
                .json(Map.of("name", "Backend (EU)", "status", "INACTIVE")).send().status()).isEqualTo(200);
        HttpApi.Reply rotated = writes.post("/v1/api-keys/" + managedId + "/regenerate").bearer(jwt)
                .json(Map.of()).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        plaintexts.add(rotated.json().at("/data/key").asText());
        assertThat(writes.delete("/v1/api-keys/" + managedId).bearer(jwt).send().status()).isEqualTo(200);

        // an application's key, revoked through the applications API
        String application = UUID.randomUUID().toString();
        JsonNode appKey = createKey(account, jwt, Map.of("name", "Checkout", "permissions", READ_ONLY,
                "application_id", application), plaintexts);
        assertThat(writes.delete("/api/v1/applications/" + application + "/api-keys/" + appKey.get("id").asText())
                .bearer(jwt).send().status()).isEqualTo(200);

        // a key that expires in 2 s: created, expiring at once, then expired by the command service's deadline
        JsonNode shortLived = createKey(account, jwt, Map.of("name", "Short", "permissions", READ_ONLY,
                "expires_at", Instant.now().plusSeconds(2).toString()), plaintexts);

        // a key whose secret leaked, reported by whoever found it (no credential): exposed, and nothing else
        JsonNode leaked = createKey(account, jwt, Map.of("name", "Leaked", "permissions", READ_ONLY), plaintexts);
        HttpApi.Reply reported = writes.post("/v1/keys/report-exposure")
                .json(Map.of("keys", List.of(plaintexts.get(plaintexts.size() - 1)))).send();
        assertThat(reported.status()).as(reported.toString()).isEqualTo(202);

        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(managedId, List.of("api_key.created", "api_key.expiring", "api_key.updated", "api_key.rotated",
                "api_key.deleted"));
        expected.put(appKey.get("id").asText(), List.of("api_key.created", "api_key.revoked"));
        expected.put(shortLived.get("id").asText(), List.of("api_key.created", "api_key.expiring",
                "api_key.expired"));
        expected.put(leaked.get("id").asText(), List.of("api_key.created", "api_key.exposed"));
        int total = expected.values().stream().mapToInt(List::size).sum();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at(path).size() >= total);
        awaitOutboxSettled();
        Thread.sleep(500); // anything sent twice would be here by now

        List<WebhookReceiver.Received> got = receiver.at(path);
        assertThat(got).hasSize(total);
        Map<String, List<String>> typesByKey = new HashMap<>();
        Set<String> webhookIds = new HashSet<>();
        Webhook verifier = new Webhook(secret);
        for (WebhookReceiver.Received delivery : got) {
            assertThat(delivery.method()).isEqualTo("POST");
            assertThat(delivery.header("content-type")).isEqualTo("application/json");
            verifier.verify(delivery.body(), delivery.headers()); // throws unless signed with the endpoint's secret
            assertThat(webhookIds.add(delivery.header("webhook-id"))).as("one webhook-id per delivery").isTrue();
            JsonNode body = JSON.readTree(delivery.body());
            assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "timestamp", "data");
            JsonNode data = body.get("data");
            assertThat(data.get("object").asText()).isEqualTo("api_key");
            assertThat(data.get("account_id").asText()).isEqualTo(account);
            assertThat(data.get("key").asText()).as("masked").contains("…");
            for (String plaintext : plaintexts) {
                assertThat(delivery.body()).doesNotContain(plaintext);
            }
            typesByKey.computeIfAbsent(data.get("id").asText(), k -> new ArrayList<>()).add(body.get("type").asText());
            if (body.get("type").asText().equals("api_key.updated")) {
                assertThat(data.get("name").asText()).as("the key after the whole patch").isEqualTo("Backend (EU)");
                assertThat(data.get("status").asText()).isEqualTo("INACTIVE");
            }
            if (body.get("type").asText().equals("api_key.exposed")) {
                assertThat(data.get("status").asText()).as("an exposed key is revoked").isEqualTo("REVOKED");
                assertThat(data.get("deleted").asBoolean()).isFalse();
            }
            if (body.get("type").asText().equals("api_key.deleted")) {
                assertThat(data.get("deleted").asBoolean()).isTrue();
                assertThat(data.get("status").asText()).isEqualTo("REVOKED");
            }
        }
        expected.forEach((key, types) -> assertThat(typesByKey.get(key)).as("key " + key)
                .containsExactlyInAnyOrderElementsOf(types));

        JsonNode log = reads.get("/v1/webhook-endpoints/" + endpoint.get("id").asText() + "/deliveries?limit=100")
                .bearer(jwt).send().json();
        assertThat(log.get("total").asLong()).isEqualTo(total);
        for (JsonNode entry : log.get("data")) {
            assertThat(entry.get("status").asText()).isEqualTo("succeeded");
            assertThat(entry.get("attempts")).hasSize(1);
            assertThat(entry.at("/attempts/0/status_code").asInt()).isEqualTo(200);
            assertThat(entry.get("next_attempt_at").isNull()).isTrue();
            assertThat(webhookIds).contains(entry.get("id").asText());
        }
        String tables = system.jdbc().queryForList("SELECT convert_from(body, 'UTF8') FROM read_model.webhook_delivery")
                .toString();
        for (String plaintext : plaintexts) {
            assertThat(tables).doesNotContain(plaintext);
        }
        assertThat(tables).doesNotContain(secret.substring("whsec_".length()));
    }

    @Test
    void theExpiringWarningIsADurableDeadlineSevenDaysBeforeTheExpiryThatMovesWithIt() throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/expiring-" + account;
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("api_key.expiring"));
        String endpointId = endpoint.get("id").asText();
        Instant firstExpiry = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode key = createKey(account, jwt, Map.of("name", "Expiring", "permissions", READ_ONLY,
                "expires_at", firstExpiry.toString()), new ArrayList<>());
        JsonNode warning = awaitDelivery(jwt, endpointId, d -> d.get("next_attempt_at").isTextual());
        assertThat(Instant.parse(warning.get("next_attempt_at").asText()))
                .isEqualTo(firstExpiry.minus(WebhookOutbox.EXPIRING_NOTICE));
        assertThat(warning.get("status").asText()).isEqualTo("pending");
        assertThat(warning.get("attempts")).isEmpty();

        // the expiry moves one day earlier: the pending warning moves with it (the old one is gone)
        Instant secondExpiry = firstExpiry.minus(Duration.ofDays(1));
        assertThat(writes.patch("/v1/api-keys/" + key.get("id").asText()).bearer(jwt)
                .json(Map.of("expires_at", secondExpiry.toString(), "name", "Expiring sooner")).send().status())
                .isEqualTo(200);
        warning = awaitDelivery(jwt, endpointId, d -> Instant.parse(d.get("next_attempt_at").asText())
                .equals(secondExpiry.minus(WebhookOutbox.EXPIRING_NOTICE)));
        Thread.sleep(300);
        assertThat(receiver.at(path)).as("not due for two more days").isEmpty();

        // two days later (the sender's clock): the warning goes out once, with the key as it is then
        clock.advance(Duration.ofDays(2).plusMinutes(1));
        JsonNode sent = awaitDelivery(jwt, endpointId, d -> "succeeded".equals(d.get("status").asText()));
        assertThat(sent.get("id").asText()).isEqualTo(warning.get("id").asText());
        assertThat(receiver.at(path)).singleElement().satisfies(delivery -> {
            JsonNode body = JSON.readTree(delivery.body());
            assertThat(body.get("type").asText()).isEqualTo("api_key.expiring");
            assertThat(Instant.parse(body.at("/data/expires_at").asText())).isEqualTo(secondExpiry);
            assertThat(body.at("/data/name").asText()).isEqualTo("Expiring sooner");
            assertThat(delivery.header("webhook-signature")).isEqualTo(new Webhook(endpoint.get("secret").asText())
                    .sign(delivery.header("webhook-id"), Long.parseLong(delivery.header("webhook-timestamp")),
                            delivery.body()));
        });
    }

    @Test
    void filtersAccountsAndModesKeepDeliveriesApart() throws Exception {
        String account = account();
        String other = account();
        String jwt = jwt(account);
        createEndpoint(account, jwt, receiver.url("/deleted-only-" + account), List.of("api_key.deleted"));
        createEndpoint(other, jwt(other), receiver.url("/other-" + other), List.of("*"));
        String sandboxJwt = TestJwts.forAccount(account).permissions(all()).mode("test").sign();
        JsonNode sandboxEndpoint = createEndpoint(account, sandboxJwt, receiver.url("/sandbox-" + account),
                List.of("*"));
        assertThat(sandboxEndpoint.get("mode").asText()).isEqualTo("test");

        JsonNode key = createKey(account, jwt, Map.of("name", "Filtered", "permissions", READ_ONLY), new ArrayList<>());
        writes.patch("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).json(Map.of("name", "Renamed")).send();
        assertThat(writes.delete("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/deleted-only-" + account).size() >= 1);
        awaitOutboxSettled();
        Thread.sleep(300);
        assertThat(receiver.at("/deleted-only-" + account)).singleElement().satisfies(d ->
                assertThat(JSON.readTree(d.body()).get("type").asText()).isEqualTo("api_key.deleted"));
        assertThat(receiver.at("/other-" + other)).as("another account hears nothing").isEmpty();
        assertThat(receiver.at("/sandbox-" + account)).as("the sandbox hears nothing of live keys").isEmpty();
    }

    @Test
    void aFailingReceiverIsRetriedOnTheScheduleWithTheSameIdThenFailedAndAManualRetryKeepsTheSchedule()
            throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/failing-" + account;
        receiver.answer(path, 500);
        MeterRegistry meters = query.getBean(MeterRegistry.class);
        double failedBefore = deliveriesCounted(meters, "failed_attempt");
        double givenUpBefore = deliveriesCounted(meters, "given_up");
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("api_key.created"));
        // the sender's time stands still a minute ahead: the change is due at once, no retry falls due unasked
        clock.freezeAt(Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));
        String endpointId = endpoint.get("id").asText();
        createKey(account, jwt, Map.of("name", "Retried", "permissions", READ_ONLY), new ArrayList<>());

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at(path).size() == 1);
        JsonNode delivery = awaitDelivery(jwt, endpointId, d -> d.get("attempts").size() == 1);
        String deliveryId = delivery.get("id").asText();
        Instant firstAt = Instant.parse(delivery.at("/attempts/0/at").asText());
        assertThat(Instant.parse(delivery.get("next_attempt_at").asText()))
                .isEqualTo(firstAt.plus(RetrySchedule.DELAYS.get(0)));

        // a manual retry while pending: one more attempt, the schedule stays where it was
        Instant scheduled = Instant.parse(delivery.get("next_attempt_at").asText());
        clock.advance(Duration.ofSeconds(1));
        HttpApi.Reply retry = reads.post("/v1/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId
                + "/retry").bearer(jwt).send();
        assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
        delivery = awaitDelivery(jwt, endpointId, d -> d.get("attempts").size() == 2);
        assertThat(Instant.parse(delivery.get("next_attempt_at").asText())).isEqualTo(scheduled);
        assertThat(delivery.get("status").asText()).isEqualTo("pending");

        // every step of the schedule, each a failure, then failed
        for (int step = 0; step < RetrySchedule.DELAYS.size(); step++) {
            int attemptsSoFar = 2 + step;
            clock.advance(RetrySchedule.DELAYS.get(step));
            delivery = awaitDelivery(jwt, endpointId, d -> d.get("attempts").size() == attemptsSoFar + 1);
            Instant at = Instant.parse(delivery.at("/attempts/" + attemptsSoFar + "/at").asText());
            if (step + 1 < RetrySchedule.DELAYS.size()) {
                assertThat(delivery.get("status").asText()).isEqualTo("pending");
                assertThat(Instant.parse(delivery.get("next_attempt_at").asText()))
                        .isEqualTo(at.plus(RetrySchedule.DELAYS.get(step + 1)));
            }
        }
        assertThat(delivery.get("status").asText()).isEqualTo("failed");
        assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
        assertThat(delivery.get("attempts")).hasSize(2 + RetrySchedule.DELAYS.size());
        for (JsonNode attempt : delivery.get("attempts")) {
            assertThat(attempt.get("status_code").asInt()).isEqualTo(500);
        }
        // every failure but the last counts as a failed attempt, the last as given up (other tests' leftovers may add)
        assertThat(deliveriesCounted(meters, "failed_attempt") - failedBefore)
                .isGreaterThanOrEqualTo(1 + RetrySchedule.DELAYS.size());
        assertThat(deliveriesCounted(meters, "given_up") - givenUpBefore).isGreaterThanOrEqualTo(1);
        clock.advance(Duration.ofDays(2));
        Thread.sleep(600);
        assertThat(receiver.at(path)).as("nothing after failed").hasSize(2 + RetrySchedule.DELAYS.size());

        // the same webhook-id every time, each attempt signed for its own timestamp
        Webhook signer = new Webhook(endpoint.get("secret").asText());
        for (WebhookReceiver.Received attempt : receiver.at(path)) {
            assertThat(attempt.header("webhook-id")).isEqualTo(deliveryId);
            assertThat(attempt.header("webhook-signature")).isEqualTo(signer.sign(deliveryId,
                    Long.parseLong(attempt.header("webhook-timestamp")), attempt.body()));
        }

        // a manual retry of a failed delivery: 202, one more attempt, which now succeeds
        receiver.answer(path, 204);
        assertThat(reads.post("/v1/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/retry")
                .bearer(jwt).send().status()).isEqualTo(202);
        delivery = awaitDelivery(jwt, endpointId, d -> "succeeded".equals(d.get("status").asText()));
        assertThat(delivery.get("attempts")).hasSize(3 + RetrySchedule.DELAYS.size());
    }

    @Test
    void aDeliveryPendingARetrySurvivesARestartOfTheQueryService() throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/restart-" + account;
        receiver.answer(path, 503);
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("*"));
        createKey(account, jwt, Map.of("name", "Survivor", "permissions", READ_ONLY), new ArrayList<>());
        JsonNode delivery = awaitDelivery(jwt, endpoint.get("id").asText(), d -> d.get("attempts").size() == 1);

        system.stop(query);
        receiver.answer(path, 200);
        clock.advance(RetrySchedule.DELAYS.get(0));
        startQuery();

        JsonNode after = awaitDelivery(jwt, endpoint.get("id").asText(),
                d -> "succeeded".equals(d.get("status").asText()));
        assertThat(after.get("id").asText()).isEqualTo(delivery.get("id").asText());
        assertThat(after.get("attempts")).hasSize(2);
        assertThat(receiver.at(path)).hasSize(2).allSatisfy(r ->
                assertThat(r.header("webhook-id")).isEqualTo(delivery.get("id").asText()));
    }

    @Test
    void aReceiverAnswering410DisablesItsEndpoint() throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/gone-" + account;
        receiver.answer(path, 410);
        MeterRegistry meters = query.getBean(MeterRegistry.class);
        double disabledBefore = deliveriesCounted(meters, "disabled");
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("*"));
        String endpointId = endpoint.get("id").asText();
        JsonNode key = createKey(account, jwt, Map.of("name", "Gone", "permissions", READ_ONLY), new ArrayList<>());

        JsonNode delivery = awaitDelivery(jwt, endpointId, d -> "failed".equals(d.get("status").asText()));
        assertThat(delivery.get("attempts")).hasSize(1);
        assertThat(delivery.at("/attempts/0/status_code").asInt()).isEqualTo(410);
        assertThat(reads.get("/v1/webhook-endpoints/" + endpointId).bearer(jwt).send().json().at("/data/status")
                .asText()).isEqualTo("disabled");
        assertThat(deliveriesCounted(meters, "disabled")).isEqualTo(disabledBefore + 1);

        assertThat(writes.delete("/v1/api-keys/" + key.get("id").asText()).bearer(jwt).send().status())
                .isEqualTo(200);
        awaitOutboxSettled();
        clock.advance(Duration.ofHours(1));
        Thread.sleep(600);
        assertThat(receiver.at(path)).as("a disabled endpoint gets nothing more").hasSize(1);
    }

    @Test
    void urlsThatCouldReachInternalTargetsAreRefusedAtCreateAndAfterDnsAtSend() throws Exception {
        String account = account();
        String jwt = jwt(account);
        dns.put("internal.example.com", List.of(InetAddress.getByAddress(new byte[]{10, 1, 2, 3})));
        for (String url : List.of("http://example.com/hook", "https://10.0.0.1/hook", "https://192.168.1.20/hook",
                "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://[fd00::1]/hook",
                "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://localhost.localhost/hook",
                "ftp://example.com/hook", "https://user:pw@example.com/hook", "//example.com/hook",
                "https://internal.example.com/hook", "http://[::1]:8080/hook")) {
            HttpApi.Reply refused = reads.post("/v1/webhook-endpoints?account_id=" + account).bearer(jwt)
                    .json(Map.of("url", url, "events", List.of("*"))).send();
            assertThat(refused.status()).as(url + ": " + refused).isEqualTo(400);
            assertThat(refused.json().at("/error/details/field").asText()).isEqualTo("url");
        }
        assertThat(listEndpoints(account, jwt).get("total").asLong()).as("nothing was made").isZero();

        // DNS rebinding: public when the endpoint is made, loopback when a delivery goes
        dns.put("rebind.example.com", List.of(InetAddress.getByAddress(new byte[]{93, (byte) 184, (byte) 216, 34})));
        JsonNode endpoint = createEndpoint(account, jwt, "https://rebind.example.com/hook", List.of("*"));
        dns.put("rebind.example.com", List.of(InetAddress.getLoopbackAddress()));
        createKey(account, jwt, Map.of("name", "Rebound", "permissions", READ_ONLY), new ArrayList<>());
        JsonNode delivery = awaitDelivery(jwt, endpoint.get("id").asText(), d -> d.get("attempts").size() == 1);
        assertThat(delivery.at("/attempts/0/status_code").isNull()).isTrue();
        assertThat(delivery.at("/attempts/0/error").asText()).startsWith("target_refused");
        assertThat(delivery.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void aNameReboundBetweenTheCheckAndTheConnectionNeverReachesTheInternalAddress() throws Exception {
        String account = account();
        String jwt = jwt(account);
        // TEST-NET-3: public to the rules, routed nowhere (the attempt that goes there fails, as it should)
        InetAddress documentation = InetAddress.getByAddress(new byte[]{(byte) 203, 0, 113, 10});
        String host = "rebind-race.example.com";
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!internal.isClosed()) {
                    try (Socket accepted = internal.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            dns.put(host, List.of(documentation));
            JsonNode endpoint = createEndpoint(account, jwt, "https://" + host + ":" + internal.getLocalPort() + "/hook",
                    List.of("api_key.created"));
            String endpointId = endpoint.get("id").asText();
            // from now on: public to the next lookup (where a check used to look), loopback to every later one
            rebinding.put(host, new ArrayDeque<>(List.of(List.of(documentation),
                    List.of(InetAddress.getLoopbackAddress()))));
            lookups.remove(host);
            createKey(account, jwt, Map.of("name", "Raced", "permissions", READ_ONLY), new ArrayList<>());

            JsonNode first = awaitDelivery(jwt, endpointId, d -> d.get("attempts").size() == 1);
            assertThat(connections).as("the attempt connected to the address its lookup was checked for, not to a "
                    + "second lookup's loopback").hasValue(0);
            assertThat(first.at("/attempts/0/error").asText()).doesNotStartWith("target_refused");

            clock.advance(RetrySchedule.DELAYS.get(0));
            JsonNode second = awaitDelivery(jwt, endpointId, d -> d.get("attempts").size() == 2);
            assertThat(second.at("/attempts/1/error").asText()).startsWith("target_refused");
            assertThat(second.at("/attempts/1/status_code").isNull()).isTrue();
            assertThat(lookups.get(host)).as("one lookup per attempt: the one checked and connected to").hasValue(2);
            assertThat(connections).as("nothing ever connected to the internal address").hasValue(0);
        } finally {
            rebinding.remove(host);
            dns.remove(host);
        }
    }

    @Test
    void aChangeIsOneDeliveryEvenWhenItsEventsFallIntoDifferentOutboxBatches() throws Exception {
        system.stop(query);
        startQuery("--axon.eventhandling.processors." + WebhookOutbox.GROUP + ".batch-size=1");
        try {
            String account = account();
            String jwt = jwt(account);
            String path = "/batches-" + account;
            JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("api_key.updated"));
            JsonNode key = createKey(account, jwt, Map.of("name", "Split", "permissions", READ_ONLY),
                    new ArrayList<>());
            // name and status in one patch: two events, so two batches of one event each
            assertThat(writes.patch("/v1/api-keys/" + key.get("id").asText()).bearer(jwt)
                    .json(Map.of("name", "Split (EU)", "status", "INACTIVE")).send().status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at(path).size() >= 1);
            awaitOutboxSettled();
            Thread.sleep(500); // a second delivery would be here by now
            assertThat(receiver.at(path)).as("one api_key.updated for the one patch").singleElement()
                    .satisfies(delivery -> {
                        JsonNode body = JSON.readTree(delivery.body());
                        assertThat(body.get("type").asText()).isEqualTo("api_key.updated");
                        assertThat(body.at("/data/name").asText()).as("the key after all of the patch")
                                .isEqualTo("Split (EU)");
                        assertThat(body.at("/data/status").asText()).isEqualTo("INACTIVE");
                    });
            assertThat(deliveries(jwt, endpoint.get("id").asText())).hasSize(1);
        } finally {
            system.stop(query);
            startQuery();
        }
    }

    @Test
    void endedDeliveriesArePurgedWithTheirAttemptsAfterTheRetentionAndPendingOnesNever() throws Exception {
        String account = account();
        String jwt = jwt(account);
        String path = "/retention-" + account;
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("*"));
        String endpointId = endpoint.get("id").asText();
        createKey(account, jwt, Map.of("name", "Old", "permissions", READ_ONLY), new ArrayList<>());
        String oldest = awaitDelivery(jwt, endpointId, d -> "succeeded".equals(d.get("status").asText()))
                .get("id").asText();

        clock.advance(Duration.ofDays(2));
        // created (ended two days after the first) and its expiring warning, pending for 53 days
        createKey(account, jwt, Map.of("name", "Younger", "permissions", READ_ONLY,
                "expires_at", Instant.now().plus(Duration.ofDays(60)).toString()), new ArrayList<>());
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(jwt, endpointId).size() == 3
                && receiver.at(path).size() == 2);
        Set<String> kept = new HashSet<>();
        deliveries(jwt, endpointId).forEach(d -> kept.add(d.get("id").asText()));
        kept.remove(oldest);

        // 31 days after the first ended, 29 after the second: only the first is past the 30 days
        clock.advance(Duration.ofDays(29));
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(jwt, endpointId).size() == 2);
        List<JsonNode> left = deliveries(jwt, endpointId);
        assertThat(left).extracting(d -> d.get("id").asText()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(left).extracting(d -> d.get("status").asText()).containsExactlyInAnyOrder("succeeded", "pending");
        assertThat(system.jdbc().queryForObject("SELECT count(*) FROM read_model.webhook_attempt WHERE delivery_id = ?",
                Long.class, UUID.fromString(oldest))).as("its attempts went with it").isZero();

        // a pending delivery is kept whatever its age
        clock.advance(Duration.ofDays(20));
        Thread.sleep(600);
        assertThat(deliveries(jwt, endpointId)).extracting(d -> d.get("status").asText()).contains("pending");
    }

    @Test
    void theSendersMetricsCountOutcomesTimeAttemptsAndShowTheBacklogWithoutIdentifyingTags() throws Exception {
        MeterRegistry meters = query.getBean(MeterRegistry.class);
        double succeededBefore = deliveriesCounted(meters, "succeeded");
        long timedBefore = meters.get(DeliveryMetrics.LATENCY).tag("outcome", "succeeded").timer().count();
        String account = account();
        String jwt = jwt(account);
        String path = "/metrics-" + account;
        CountDownLatch release = receiver.hold(path);
        JsonNode endpoint = createEndpoint(account, jwt, receiver.url(path), List.of("api_key.created"));
        createKey(account, jwt, Map.of("name", "Measured", "permissions", READ_ONLY), new ArrayList<>());

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at(path).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> backlog(meters) >= 1); // in flight, still due
        release.countDown();
        awaitDelivery(jwt, endpoint.get("id").asText(), d -> "succeeded".equals(d.get("status").asText()));
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveriesCounted(meters, "succeeded") > succeededBefore);
        assertThat(meters.get(DeliveryMetrics.LATENCY).tag("outcome", "succeeded").timer().count())
                .isGreaterThan(timedBefore);
        awaitOutboxSettled();
        await().atMost(Duration.ofSeconds(10)).until(() -> backlog(meters) == 0);

        for (String name : List.of(DeliveryMetrics.DELIVERIES, DeliveryMetrics.LATENCY, DeliveryMetrics.BACKLOG)) {
            assertThat(meters.find(name).meters()).isNotEmpty().allSatisfy(meter ->
                    assertThat(meter.getId().getTags()).extracting(Tag::getKey).isSubsetOf("outcome", "application"));
        }
        String scrape = query.getBean(PrometheusMeterRegistry.class).scrape();
        assertThat(scrape).contains("kms_webhook_deliveries_total{", "kms_webhook_delivery_latency_seconds_bucket{",
                "kms_webhook_outbox_backlog{");
        assertThat(scrape).doesNotContain(endpoint.get("id").asText(), receiver.url(path));
    }

    @Test
    void endpointsAreTheAccountsOwnAndFollowThePermissionsAndTheGrantRules() throws Exception {
        String account = account();
        String jwt = jwt(account);
        HttpApi.Reply created = reads.post("/v1/webhook-endpoints?account_id=" + account).bearer(jwt)
                .json(Map.of("url", receiver.url("/crud"), "events", List.of("api_key.created", "api_key.deleted"),
                        "description", "Ops pager")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode endpoint = created.json().get("data");
        String id = endpoint.get("id").asText();
        String secret = endpoint.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6)).length).isGreaterThanOrEqualTo(24);
        assertThat(endpoint.get("object").asText()).isEqualTo("webhook_endpoint");
        assertThat(endpoint.get("status").asText()).isEqualTo("enabled");
        assertThat(endpoint.get("mode").asText()).isEqualTo("live");

        JsonNode read = reads.get("/v1/webhook-endpoints/" + id).bearer(jwt).send().json().get("data");
        assertThat(read.has("secret")).as("the secret is shown once").isFalse();
        assertThat(read.get("description").asText()).isEqualTo("Ops pager");
        assertThat(listEndpoints(account, jwt).at("/data/0/id").asText()).isEqualTo(id);

        HttpApi.Reply patched = reads.patch("/v1/webhook-endpoints/" + id).bearer(jwt)
                .json(Map.of("events", List.of("*"), "status", "disabled")).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().at("/data/events/0").asText()).isEqualTo("*");
        assertThat(patched.json().at("/data/status").asText()).isEqualTo("disabled");

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("events", List.of()),
                Map.of("events", List.of("api_key.nope")), Map.of("events", List.of("*", "api_key.created")),
                Map.of("url", "http://example.com"), Map.of())) {
            HttpApi.Reply refused = reads.patch("/v1/webhook-endpoints/" + id).bearer(jwt).json(bad).send();
            assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(400);
        }
        HttpApi.Reply unknownField = reads.post("/v1/webhook-endpoints?account_id=" + account).bearer(jwt)
                .json(Map.of("url", receiver.url("/x"), "events", List.of("*"), "secret", "mine")).send();
        assertThat(unknownField.status()).isEqualTo(400);

        // another account: 404 for its endpoint, 403 for its account_id
        String stranger = account();
        String strangerJwt = jwt(stranger);
        assertThat(reads.get("/v1/webhook-endpoints/" + id).bearer(strangerJwt).send().status()).isEqualTo(404);
        assertThat(reads.patch("/v1/webhook-endpoints/" + id).bearer(strangerJwt).json(Map.of("status", "enabled"))
                .send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/webhook-endpoints/" + id + "/deliveries").bearer(strangerJwt).send().status())
                .isEqualTo(404);
        assertThat(reads.delete("/v1/webhook-endpoints/" + id).bearer(strangerJwt).send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/webhook-endpoints?account_id=" + account).bearer(strangerJwt).send().status())
                .isEqualTo(403);
        String sandbox = TestJwts.forAccount(account).permissions(all()).mode("test").sign();
        assertThat(reads.get("/v1/webhook-endpoints/" + id).bearer(sandbox).send().status())
                .as("a live endpoint is not the sandbox's").isEqualTo(404);

        // permissions: key permissions alone are not webhook permissions; read-only reads but cannot change
        String keysOnly = TestJwts.forAccount(account).sign();
        assertThat(reads.get("/v1/webhook-endpoints?account_id=" + account).bearer(keysOnly).send().status())
                .isEqualTo(403);
        String readOnly = TestJwts.forAccount(account).permissions("account:webhook:endpoint:read").sign();
        assertThat(reads.get("/v1/webhook-endpoints/" + id + "/deliveries").bearer(readOnly).send().status())
                .isEqualTo(200);
        assertThat(reads.post("/v1/webhook-endpoints?account_id=" + account).bearer(readOnly)
                .json(Map.of("url", receiver.url("/x"), "events", List.of("*"))).send().status()).isEqualTo(403);
        assertThat(reads.delete("/v1/webhook-endpoints/" + id).bearer(readOnly).send().status()).isEqualTo(403);

        // the grant rules: a credential without webhook permissions cannot give them to a key; one with them can
        HttpApi.Reply escalation = writes.post("/v1/api-keys/?account_id=" + account).bearer(keysOnly)
                .json(Map.of("name", "Hooks", "permissions", Map.of("account:webhook:endpoint", List.of("read"))))
                .send();
        assertThat(escalation.status()).as(escalation.toString()).isEqualTo(403);
        assertThat(escalation.json().at("/error/details/reason").asText()).isEqualTo("permission_not_grantable");
        JsonNode hooksKey = createKey(account, jwt, Map.of("name", "Hooks",
                "permissions", Map.of("account:webhook:endpoint", List.of("read"))), new ArrayList<>());
        String hooksSecret = hooksKey.get("key").asText();
        assertThat(reads.get("/v1/webhook-endpoints?account_id=" + account).bearer(hooksSecret).send().status())
                .as("a secret key with webhook read lists").isEqualTo(200);
        assertThat(reads.delete("/v1/webhook-endpoints/" + id).bearer(hooksSecret).send().status())
                .as("but cannot delete").isEqualTo(403);

        HttpApi.Reply deleted = reads.delete("/v1/webhook-endpoints/" + id).bearer(jwt).send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(reads.delete("/v1/webhook-endpoints/" + id).bearer(jwt).send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/webhook-endpoints/" + id).bearer(jwt).send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/webhook-endpoints/not-a-uuid").bearer(jwt).send().status()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String account() {
        return "acct_wh" + Long.toHexString(System.nanoTime());
    }

    private static String[] all() {
        List<String> all = new ArrayList<>(TestJwts.ALL_KEY_PERMISSIONS);
        all.addAll(WEBHOOK_PERMISSIONS);
        return all.toArray(String[]::new);
    }

    private static String jwt(String account) {
        return TestJwts.forAccount(account).permissions(all()).sign();
    }

    private static JsonNode createEndpoint(String account, String jwt, String url, List<String> events) {
        HttpApi.Reply reply = reads.post("/v1/webhook-endpoints?account_id=" + account).bearer(jwt)
                .json(Map.of("url", url, "events", events)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("data");
    }

    private static JsonNode listEndpoints(String account, String jwt) {
        HttpApi.Reply reply = reads.get("/v1/webhook-endpoints?account_id=" + account).bearer(jwt).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** Creates a key and waits until the read side has it (secret keys are credentials from then on). */
    private static JsonNode createKey(String account, String jwt, Map<String, Object> body, List<String> plaintexts) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(jwt).json(body).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode key = reply.json().get("data");
        plaintexts.add(key.get("key").asText());
        reads.get("/v1/api-keys/" + key.get("id").asText()).bearer(jwt)
                .header("X-Consistency-Token", reply.header("X-Consistency-Token")).send();
        return key;
    }

    /** The endpoint's only delivery once it satisfies {@code condition}. */
    private static JsonNode awaitDelivery(String jwt, String endpointId,
                                          Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpApi.Reply reply = reads.get("/v1/webhook-endpoints/" + endpointId + "/deliveries").bearer(jwt).send();
            JsonNode data = reply.json().get("data");
            if (data == null || data.size() != 1 || !condition.test(data.get(0))) {
                return false;
            }
            found[0] = data.get(0);
            return true;
        });
        return found[0];
    }

    /** The endpoint's deliveries, newest first. */
    private static List<JsonNode> deliveries(String jwt, String endpointId) {
        HttpApi.Reply reply = reads.get("/v1/webhook-endpoints/" + endpointId + "/deliveries?limit=100").bearer(jwt)
                .send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> all = new ArrayList<>();
        reply.json().get("data").forEach(all::add);
        return all;
    }

    private static double deliveriesCounted(MeterRegistry meters, String outcome) {
        return meters.get(DeliveryMetrics.DELIVERIES).tag("outcome", outcome).counter().count();
    }

    private static double backlog(MeterRegistry meters) {
        return meters.get(DeliveryMetrics.BACKLOG).gauge().value();
    }

    /** The outbox processor has every event of the store, and nothing due waits for the sender. */
    private static void awaitOutboxSettled() {
        Long head = system.jdbc().queryForObject(
                "SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry", Long.class);
        StreamingEventProcessor processor = query.getBean(EventProcessingConfiguration.class)
                .eventProcessor(WebhookOutbox.GROUP, StreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            boolean caughtUp = !processor.processingStatus().isEmpty() && processor.processingStatus().values()
                    .stream().allMatch(s -> {
                        TrackingToken token = s.getTrackingToken();
                        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
                        return position.isPresent() && position.getAsLong() >= head;
                    });
            Long due = system.jdbc().queryForObject("""
                    SELECT count(*) FROM read_model.webhook_delivery d JOIN read_model.webhook_endpoint e
                        ON e.id = d.endpoint_id
                    WHERE e.status = 'enabled' AND ((d.status = 'pending' AND d.next_attempt_at <= now())
                        OR d.retry_requested)""", Long.class);
            return caughtUp && due != null && due == 0;
        });
    }
}
