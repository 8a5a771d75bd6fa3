package com.hsrcpay.apikeys.query.operations;

import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operations on the real services: health, liveness and readiness (PostgreSQL, Kafka, event processors) answer UP,
 * and after a write and a verification the Prometheus scrape of each service carries the operational metrics.
 */
class MetricsAndHealthIT {

    static SystemUnderTest system;
    static ConfigurableApplicationContext commandService;
    static ConfigurableApplicationContext queryService;
    static HttpApi writes;
    static HttpApi reads;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.onFreshDatabase();
        commandService = system.startCommandService();
        queryService = system.startQueryService("--management.endpoint.health.group.readiness.show-components=always");
        writes = SystemUnderTest.api(commandService);
        reads = SystemUnderTest.api(queryService);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    static String metricsToken() {
        return TestJwts.forAccount("acct_platform").permissions("platform:metrics:read").sign();
    }

    @Test
    void healthLivenessAndReadinessAreUp() {
        for (HttpApi service : List.of(writes, reads)) {
            for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpApi.Reply reply = service.get(path).send();
                    assertThat(reply.status()).as(path + " " + reply).isEqualTo(200);
                    assertThat(reply.json().path("status").asText()).isEqualTo("UP");
                });
            }
        }
        HttpApi.Reply readiness = reads.get("/actuator/health/readiness").send();
        assertThat(readiness.json().path("components").fieldNames()).toIterable()
                .contains("db", "kafka", "eventProcessors", "readinessState");
    }

    @Test
    void prometheusCarriesTheOperationalMetrics() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                .json(Map.of("name", "metrics", "permissions", Map.of("account:api:key", List.of("read")))).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.json().at("/data/key").asText();
        system.awaitCaughtUp(queryService, Duration.ofSeconds(30));
        HttpApi.Reply verified = reads.post("/v1/keys/verify").bearer(token).json(Map.of("key", secret)).send();
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(reads.post("/v1/keys/verify").bearer(token).json(Map.of("key", secret)).send().status())
                .isEqualTo(200);

        String command = scrape(writes);
        // each tag on the very series it belongs to, with a count above zero
        assertThat(command).containsPattern(series("kms_commands_seconds_count", "command=\"CreateKey\"",
                "outcome=\"success\"", "application=\"command-service\"") + " [1-9]");
        assertThat(command).containsPattern(series("kms_commands_seconds_bucket", "command=\"CreateKey\""))
                .contains("kms_verification_cache_hit_ratio");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(reads))
                .containsPattern(series("kms_kafka_publish_seconds_count", "topic=\"api-key-events\"",
                        "outcome=\"success\"") + " [1-9]")
                .containsPattern(series("kms_processor_lag_events", "processor=\"kafka-publisher\""))
                .containsPattern(series("kms_processor_lag_time_milliseconds", "processor=\"key-list\""))
                .contains("kms_verification_cache_hit_ratio"));
        String query = scrape(reads);
        // axon-micrometer's own processor metrics, dimensional (the processor is a tag)
        assertThat(query).containsPattern("(?m)^eventProcessor_latency\\{[^}]*processorName=\"key-list\"");
        assertThat(query).containsPattern("(?m)^kms_processor_lag_events\\{[^}]*processor=\"key-list\"[^}]*} 0\\.0$");
    }

    /**
     * Both scrapes read by a text-format parser of another project (Hawkular's): it finds every family the scrape
     * announces, and each has a HELP text; ours their own, not the generic one given to undescribed meters.
     */
    @Test
    void everyMetricFamilyOfBothScrapesHasAHelpText() {
        // traffic first: meters made on first use (HTTP, Spring Security, command outcomes) are in the scrape then
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        for (int i = 0; i < 2; i++) {
            HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .header("Idempotency-Key", "help-" + account)
                    .json(Map.of("name", "help", "permissions", Map.of("account:api:key", List.of("read")))).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        system.awaitCaughtUp(queryService, Duration.ofSeconds(30));
        assertThat(reads.get("/v1/api-keys/?account_id=" + account).bearer(token).send().status()).isEqualTo(200);

        for (HttpApi service : List.of(writes, reads)) {
            String scrape = scrape(service);
            List<MetricFamily> families = parse(scrape);
            List<String> announced = scrape.lines().filter(line -> line.startsWith("# TYPE "))
                    .map(line -> line.split(" ")[2]).toList();

            assertThat(families).extracting(MetricFamily::getName).as("families the parser read")
                    .containsExactlyInAnyOrderElementsOf(announced);
            assertThat(families).filteredOn(family -> family.getHelp() == null || family.getHelp().isBlank())
                    .extracting(MetricFamily::getName).as("families with an empty HELP").isEmpty();
            assertThat(families).filteredOn(family -> family.getName().startsWith("kms_"))
                    .isNotEmpty()
                    .allSatisfy(ours -> assertThat(ours.getHelp()).as(ours.getName()).doesNotContain("no description"));
        }
    }

    private static List<MetricFamily> parse(String scrape) {
        CollectorPrometheusMetricsWalker collector = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(scrape.getBytes(StandardCharsets.UTF_8)), collector)
                .walk();
        return collector.getAllMetricFamilies();
    }

    @Test
    void metricsAreNotPublic() {
        assertThat(reads.get("/actuator/prometheus").send().status()).isEqualTo(401);
        assertThat(writes.get("/actuator/prometheus").bearer(TestJwts.forAccount("acct_x").sign()).send().status())
                .isEqualTo(403);
    }

    /** A Prometheus series line of {@code metric} carrying every one of {@code tags}, in any order. */
    static String series(String metric, String... tags) {
        StringBuilder pattern = new StringBuilder("(?m)^").append(metric).append("\\{");
        for (String tag : tags) {
            pattern.append("(?=[^}]*").append(java.util.regex.Pattern.quote(tag)).append(")");
        }
        return pattern.append("[^}]*}").toString();
    }

    static String scrape(HttpApi service) {
        HttpApi.Reply reply = service.get("/actuator/prometheus").bearer(metricsToken()).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }
}
