package com.hsrcpay.apikeys.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real PostgreSQL 17 server per JVM (Testcontainers {@code postgres:17-alpine}, else embedded zonky binaries;
 * see {@link InfrastructureMode}), started on first use. Every {@link #newDatabase()} creates its own database on
 * it, so each Spring context of the JVM is isolated from the others.
 */
public final class TestPostgres {

    /** Docker image used when the Docker path is chosen. */
    public static final String IMAGE = "postgres:17-alpine";

    /** Durability is worthless for throw-away test data: trade it for speed on both paths. */
    private static final Map<String, String> SERVER_SETTINGS = Map.of(
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off",
            // each cached Spring context keeps its own pool (Hikari: 10 connections)
            "max_connections", "300",
            // the server's own log as JSON lines in its data directory, which PostgresLog reads through SQL
            "logging_collector", "on",
            "log_destination", "jsonlog");

    private static final SharedServer<Server> SERVER =
            new SharedServer<>("PostgreSQL", TestPostgres::start, Server::stop);

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {
    }

    /**
     * Creates a fresh, empty database with a unique name on the shared server (starting the server on first call).
     *
     * @throws IllegalStateException if the server cannot be started or the database cannot be created
     */
    public static TestDatabase newDatabase() {
        Server server = SERVER.get();
        String name = "kms_test_" + DATABASES.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        TestDatabase admin = server.database("postgres");
        // CREATE DATABASE cannot run in a transaction; PGSimpleDataSource connections are auto-commit.
        try (Connection connection = admin.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create test database " + name + " on " + server, ex);
        }
        return server.database(name);
    }

    private static Server start() {
        return switch (InfrastructureSelection.current().mode()) {
            case DOCKER -> startContainer();
            case EMBEDDED -> startEmbedded();
            case AUTO -> throw new IllegalStateException("selection never resolves to auto");
        };
    }

    private static Server startContainer() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE));
        container.withCommand(command())
                .withTmpFs(Map.of("/var/lib/postgresql/data", "rw"))
                .start();
        return new Server("Testcontainers " + IMAGE + " " + container.getContainerId(),
                container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                container.getUsername(), container.getPassword(), container::stop);
    }

    private static String[] command() {
        String[] command = new String[1 + 2 * SERVER_SETTINGS.size()];
        command[0] = "postgres";
        int i = 1;
        for (Map.Entry<String, String> setting : SERVER_SETTINGS.entrySet()) {
            command[i++] = "-c";
            command[i++] = setting.getKey() + "=" + setting.getValue();
        }
        return command;
    }

    private static Server startEmbedded() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(false);
            SERVER_SETTINGS.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            // initdb ran with "-A trust": any password is accepted for the superuser
            return new Server("embedded PostgreSQL (zonky) " + postgres, "localhost", postgres.getPort(),
                    "postgres", "postgres", () -> {
                        try {
                            postgres.close();
                        }
                        catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
        }
    }

    /** The running server, whichever path started it. */
    private record Server(String description, String host, int port, String username, String password,
            Runnable stopAction) {

        TestDatabase database(String name) {
            return new TestDatabase("jdbc:postgresql://" + host + ":" + port + "/" + name, username, password);
        }

        void stop() {
            stopAction.run();
        }

        @Override
        public String toString() {
            return description + " at " + host + ":" + port;
        }
    }
}
