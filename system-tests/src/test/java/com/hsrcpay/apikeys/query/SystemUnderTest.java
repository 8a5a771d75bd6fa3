package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import com.hsrcpay.apikeys.query.publishing.KeyEventPublisher;
import com.hsrcpay.apikeys.query.revocation.RevocationListProjection;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.awaitility.Awaitility.await;

/**
 * The real services, each a Spring Boot application of its own as in production, on one real database
 * and one real broker: the command service writes, query-service instances project and publish.
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final List<String> PROCESSORS =
            List.of(KeyListProjection.GROUP, RevocationListProjection.GROUP, KeyEventPublisher.GROUP);

    /** The transparency log's checkpoint signing key of every query service of the tests (one log, one key). */
    public static final String TRANSPARENCY_SIGNING_KEY =
            "PRIVATE+KEY+test.hsrcpay.example/api-keys+63ba2461+AcHw3GyXifu9664JXKIHoMernLmzIxAUrO+p2yp5t6Y6";

    private final TestDatabase database;
    private final String kafka;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    public SystemUnderTest(TestDatabase database, String kafkaBootstrapServers) {
        this.database = database;
        this.kafka = kafkaBootstrapServers;
    }

    /** On a fresh database of its own and the shared broker: how most tests start. */
    public static SystemUnderTest onFreshDatabase() {
        return new SystemUnderTest(TestPostgres.newDatabase(), TestKafka.bootstrapServers());
    }

    public ConfigurableApplicationContext startCommandService(String... extra) {
        List<String> all = new ArrayList<>(List.of(args()));
        all.addAll(List.of(extra));
        return keep(new SpringApplicationBuilder(CommandServiceApplication.class).run(all.toArray(String[]::new)));
    }

    public ConfigurableApplicationContext startQueryService(String... extra) {
        List<String> all = new ArrayList<>(List.of(args()));
        all.addAll(List.of(extra));
        return keep(QueryServiceApplication.builder().run(all.toArray(String[]::new)));
    }

    /** A query service whose context gets {@code initializer} first (say, beans of a test in place of defaults). */
    public ConfigurableApplicationContext startQueryService(
            org.springframework.context.ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
            String... extra) {
        List<String> all = new ArrayList<>(List.of(args()));
        all.addAll(List.of(extra));
        return keep(QueryServiceApplication.builder().initializers(initializer).run(all.toArray(String[]::new)));
    }

    private String[] args() {
        return new String[]{
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "--kms.kafka.ack-timeout-ms=5000",
                "--kms.transparency.signing-key=" + TRANSPARENCY_SIGNING_KEY,
                // tests poll with refused keys on purpose; the guard has its own test
                "--kms.auth.guard.max-failures=10000"};
    }

    private ConfigurableApplicationContext keep(ConfigurableApplicationContext context) {
        running.add(context);
        return context;
    }

    public static HttpApi api(ConfigurableApplicationContext context) {
        return HttpApi.onPort(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(database.dataSource());
    }

    /** Waits until every processor of {@code queryService} has handled every event in the store. */
    public void awaitCaughtUp(ConfigurableApplicationContext queryService, Duration atMost) {
        Long head = jdbc().queryForObject("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry",
                Long.class);
        EventProcessingConfiguration processing = queryService.getBean(EventProcessingConfiguration.class);
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> PROCESSORS.stream().allMatch(name -> {
            StreamingEventProcessor processor =
                    processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
            Map<Integer, org.axonframework.eventhandling.EventTrackerStatus> status = processor.processingStatus();
            return !status.isEmpty() && status.values().stream().allMatch(s -> {
                TrackingToken token = s.getTrackingToken();
                OptionalLong position = token == null ? OptionalLong.empty() : token.position();
                return position.isPresent() && position.getAsLong() >= head;
            });
        }));
    }

    /** Events {@code processor} of this query service handled successfully (axon-micrometer, all payload types). */
    public static double handledEvents(ConfigurableApplicationContext queryService, String processor) {
        return queryService.getBean(MeterRegistry.class).find("eventProcessor.successCounter")
                .tag("processorName", processor).counters().stream().mapToDouble(Counter::count).sum();
    }

    public void stop(ConfigurableApplicationContext context) {
        running.remove(context);
        context.close();
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }
}
