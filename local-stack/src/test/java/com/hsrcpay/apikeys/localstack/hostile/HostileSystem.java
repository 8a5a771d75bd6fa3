package com.hsrcpay.apikeys.localstack.hostile;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.localstack.gateway.ApiGateway;
import com.hsrcpay.apikeys.localstack.gateway.GatewaySettings;
import com.hsrcpay.apikeys.query.QueryServiceApplication;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import com.hsrcpay.apikeys.query.revocation.RevocationListProjection;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.awaitility.Awaitility.await;

/**
 * The one real system the whole hostile suite runs against, started once per JVM: a real PostgreSQL database and
 * Kafka broker from test-support, the command and query services as Spring Boot applications of their own, and the
 * local stack's gateway in front of them, each on a port of its own. The brute-force guard keeps its production
 * settings (the suite checks it is not dodged). {@code KMS_TRUSTED_PROXIES} names loopback, where the gateway is,
 * as a deployment behind the local gateway would; code that does not read it yet ignores it.
 */
final class HostileSystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostileSystem.class);
    private static final List<String> READ_MODEL_PROCESSORS =
            List.of(KeyListProjection.GROUP, RevocationListProjection.GROUP);

    private final TestDatabase database;
    private final ConfigurableApplicationContext command;
    private final ConfigurableApplicationContext query;
    private final ApiGateway gateway;
    private final Map<Port, Integer> ports = new EnumMap<>(Port.class);
    final StateProbe probe;
    final RawHttp http = new RawHttp();
    final Ledger ledger = new Ledger();
    final World world;
    final RequestChecker checker;

    private HostileSystem() {
        long started = System.nanoTime();
        database = TestPostgres.newDatabase();
        String[] args = {
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "--kms.kafka.ack-timeout-ms=5000",
                "--kms.transparency.ephemeral-key-allowed=true", // no checkpoint outlives the suite
                "--KMS_TRUSTED_PROXIES=127.0.0.1/32,::1/128",
                // the suite sends its hundreds of public exposure reports from loopback; the limit has its own test
                "--kms.exposure.reports.per-address-per-minute=1000000"};
        command = new SpringApplicationBuilder(CommandServiceApplication.class).registerShutdownHook(false).run(args);
        query = QueryServiceApplication.builder().registerShutdownHook(false).run(args);
        ports.put(Port.COMMAND, port(command));
        ports.put(Port.QUERY, port(query));
        gateway = ApiGateway.start(GatewaySettings.onLoopback(0),
                URI.create("http://localhost:" + ports.get(Port.COMMAND)), URI.create("http://localhost:" + ports.get(Port.QUERY)));
        ports.put(Port.GATEWAY, gateway.port());
        probe = new StateProbe(database);
        world = new World(this);
        world.setUp();
        checker = new RequestChecker(this);
        log.info("Hostile suite: system up in {} ms, ports {} ({})", (System.nanoTime() - started) / 1_000_000,
                ports, database);
    }

    static HostileSystem start() {
        return new HostileSystem();
    }

    int port(Port which) {
        return ports.get(which);
    }

    /** How many refused credentials from one source the brute-force guard lets through (its production default). */
    int guardMaxFailures() {
        return query.getEnvironment().getProperty("kms.auth.guard.max-failures", Integer.class, 20);
    }

    /** Waits (at most 20 s) until the read model's processors have handled every event in the store. */
    void awaitProjected() {
        long head = probe.head();
        EventProcessingConfiguration processing = query.getBean(EventProcessingConfiguration.class);
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> READ_MODEL_PROCESSORS.stream().allMatch(name -> {
                    StreamingEventProcessor processor =
                            processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
                    Map<Integer, EventTrackerStatus> status = processor.processingStatus();
                    return !status.isEmpty() && status.values().stream().allMatch(s -> {
                        TrackingToken token = s.getTrackingToken();
                        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
                        return position.isPresent() && position.getAsLong() >= head;
                    });
                }));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        http.close();
        probe.close();
        gateway.close();
        query.close();
        command.close();
    }
}
