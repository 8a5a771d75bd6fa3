package com.hsrcpay.apikeys.localstack.resilience;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.localstack.gateway.ApiGateway;
import com.hsrcpay.apikeys.localstack.gateway.GatewaySettings;
import com.hsrcpay.apikeys.query.QueryServiceApplication;
import com.hsrcpay.apikeys.testsupport.RestartableKafka;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

import static org.awaitility.Awaitility.await;

/**
 * The suite's one starter of the system in this JVM, as production runs it: the command service and the query
 * service, each a Spring Boot application of its own with its default settings, on one real PostgreSQL and one
 * real Kafka broker, behind the local stack's gateway (clients use {@link #apiPort()}, as merchants use the one API
 * address). Either on the JVM's shared servers with a fresh database ({@link #onSharedServers()}: for scenarios that
 * harm nothing but the system itself), or on servers of its own that a scenario may suspend or stop
 * ({@link #onOwnServers()}).
 */
final class SystemUnderStress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemUnderStress.class);

    static final String OPERATOR = TestJwts.forAccount("acct_platform")
            .permissions("platform:projections:replay", "platform:api:key:verify").sign();

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String bootstrapServers;
    private final PausableDatabase ownDatabase;
    private final RestartableKafka ownKafka;
    private final Path dataDir;
    private final ConfigurableApplicationContext command;
    private final ConfigurableApplicationContext query;
    private final ApiGateway gateway;

    private SystemUnderStress(String jdbcUrl, String username, String password, String bootstrapServers,
                              PausableDatabase ownDatabase, RestartableKafka ownKafka, Path dataDir) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.bootstrapServers = bootstrapServers;
        this.ownDatabase = ownDatabase;
        this.ownKafka = ownKafka;
        this.dataDir = dataDir;
        long started = System.nanoTime();
        List<String> args = List.of(
                "--server.port=0",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + username,
                "--spring.datasource.password=" + password,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "--kms.transparency.ephemeral-key-allowed=true", // no checkpoint outlives the suite
                // the suite sends every request from 127.0.0.1; refusals it provokes must not trip the guard
                "--kms.auth.guard.max-failures=100000");
        this.command = new SpringApplicationBuilder(CommandServiceApplication.class).run(args.toArray(String[]::new));
        this.query = QueryServiceApplication.builder().run(args.toArray(String[]::new));
        this.gateway = ApiGateway.start(GatewaySettings.onLoopback(0),
                URI.create("http://localhost:" + port(command)), URI.create("http://localhost:" + port(query)));
        log.info("System under stress up in {} ms: gateway {}, command-service {}, query-service {}, {}, Kafka {}",
                (System.nanoTime() - started) / 1_000_000, gateway.port(), port(command), port(query), jdbcUrl,
                bootstrapServers);
    }

    /** A fresh database on the JVM's shared PostgreSQL, and the shared broker: neither may be paused or stopped. */
    static SystemUnderStress onSharedServers() {
        TestDatabase database = TestPostgres.newDatabase();
        return new SystemUnderStress(database.jdbcUrl(), database.username(), database.password(),
                TestKafka.bootstrapServers(), null, null, null);
    }

    /** A PostgreSQL server and a Kafka broker of its own, which {@link #database()} and {@link #kafka()} control. */
    static SystemUnderStress onOwnServers() {
        Path dir;
        try {
            dir = Files.createTempDirectory("kms-resilience-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        PausableDatabase database = PausableDatabase.start(dir);
        RestartableKafka kafka = RestartableKafka.start();
        return new SystemUnderStress(database.jdbcUrl(), database.username(), database.password(),
                kafka.bootstrapServers(), database, kafka, dir);
    }

    int apiPort() {
        return gateway.port();
    }

    int commandPort() {
        return port(command);
    }

    int queryPort() {
        return port(query);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    PausableDatabase database() {
        if (ownDatabase == null) {
            throw new IllegalStateException("on the shared server: start with onOwnServers() to pause it");
        }
        return ownDatabase;
    }

    RestartableKafka kafka() {
        if (ownKafka == null) {
            throw new IllegalStateException("on the shared broker: start with onOwnServers() to stop it");
        }
        return ownKafka;
    }

    /** The suite's own connection to the database (never the services' pools). */
    JdbcTemplate jdbc() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return new JdbcTemplate(dataSource);
    }

    /**
     * Waits until no request is in flight in either service (the gateway only waits for them) and no service thread
     * waits for a pooled connection: what a stalled product leaves behind must be over before the next scenario or an equality check.
     */
    void awaitDrained(Duration atMost) {
        long started = System.nanoTime();
        await("requests in flight and pool waiters drained").atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> busyThreads(command) == 0 && busyThreads(query) == 0
                        && poolWaiters(command) == 0 && poolWaiters(query) == 0);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > 500) {
            log.info("The system needed {} ms to drain what was still in flight", millis);
        }
    }

    /** Request threads of {@code context}'s Tomcat that are serving a request now. */
    private static int busyThreads(ConfigurableApplicationContext context) {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
        return busy(server.getTomcat().getConnector());
    }

    static int busy(Connector connector) {
        return connector.getProtocolHandler().getExecutor() instanceof ThreadPoolExecutor pool
                ? pool.getActiveCount() : 0;
    }

    private static int poolWaiters(ConfigurableApplicationContext context) {
        DataSource dataSource = context.getBean(DataSource.class);
        return dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null
                ? hikari.getHikariPoolMXBean().getThreadsAwaitingConnection() : 0;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(gateway);
        parts.add(query::close);
        parts.add(command::close);
        if (ownKafka != null) {
            parts.add(ownKafka);
        }
        if (ownDatabase != null) {
            parts.add(ownDatabase);
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("A part of the system under stress did not stop cleanly: {}", e.toString());
            }
        }
        if (dataDir != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(dataDir.toFile());
        }
    }
}
